"""JupyterLab on this machine, in the project's environment: ``make lab`` (the book's
chapters) and ``make lab EDITION=student`` (the student edition's notebooks, made first if
they are missing).

``python -m bentre.book.lab [--edition book|student] [--lang en|vi] [--port N] [--check]``

- ``--lang`` (default: ``BENTRE_LANG``, else English) is the edition's language: the student
  notebooks of ``_build/student`` or ``_build/<lang>/student``, and the kernels run with
  ``BENTRE_LANG`` set to it, so that what the package prints (the checks' feedback too)
  is in that language, in the chapters as in the student notebooks.

- The server listens on 127.0.0.1 only, with a fresh token, and opens no browser: it prints
  the address (token included) and how to stop it (Ctrl-C).
- The notebooks run on the project's kernel, ``bentre``, registered inside the virtual
  environment (``sys.prefix/share/jupyter/kernels/bentre``) by ``make install``
  (``--install-kernel``): the kernel nbval and the book build run too.
- Everything JupyterLab keeps for itself (runtime files, workspaces, settings, config,
  notebook signatures, IPython history, file checkpoints) goes under ``_build/lab/``: the
  tracked tree only changes when a person saves a notebook.
- JupyterLab renders Markdown cells with jupyterlab-myst (installed with it). It does not
  know myst-nb's ``{glue:text}`` roles: in the book's own chapters (the sources) they stay as
  written; the numbers are in the built book, and the student edition shows them resolved
  (``bentre.book.student`` writes each value in place of its role).
- ``--check`` starts the server, asks it for the kernel and the notebook list, and stops it:
  a quick proof that the lab starts.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ..i18n import ENV as LANGUAGE_ENV
from ..i18n import LANGUAGES, SOURCE_LANGUAGE
from ..paths import project_root

KERNEL_NAME = "bentre"
KERNEL_DISPLAY_NAME = "Python 3 (bentre)"
HOST = "127.0.0.1"
DEFAULT_PORT = 8888
EDITIONS = ("book", "student")
START_TIMEOUT = 120  # seconds


# --- the project's kernel -----------------------------------------------------------------

def kernel_dir(prefix: str | Path | None = None) -> Path:
    """Where the project's kernelspec lives: inside the environment, not the user's home."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def install_kernel(prefix: str | Path | None = None) -> Path:
    """Register the kernel ``bentre`` (this Python, ipykernel) in ``prefix`` (default: this
    environment), as ``python -m ipykernel install --sys-prefix --name bentre`` does.
    Returns the kernelspec folder."""
    from ipykernel.kernelspec import install

    prefix = str(prefix or sys.prefix)
    return Path(install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME,
                        prefix=prefix))


# --- where JupyterLab keeps its state -------------------------------------------------------

def state_dir(root: Path | None = None) -> Path:
    return Path(root or project_root()) / "_build" / "lab"


def lab_environment(state: Path, base: dict | None = None) -> dict[str, str]:
    """The environment the server runs in: every folder Jupyter, JupyterLab and IPython write
    to, under ``state`` (``_build/lab/``). The environment's own share/jupyter (kernels,
    labextensions) stays on the search path, ahead of the user's."""
    env = dict(os.environ if base is None else base)
    env.update({
        "JUPYTER_CONFIG_DIR": str(state / "config"),
        "JUPYTER_DATA_DIR": str(state / "data"),
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "JUPYTER_PREFER_ENV_PATH": "1",       # the venv's kernels and extensions first
        "IPYTHONDIR": str(state / "ipython"),  # the kernel's history database
        "JP_LSP_VIRTUAL_DIR": str(state / "virtual_documents"),
    })
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    return env


def _checkpoints_class():
    from jupyter_server.services.contents.filecheckpoints import AsyncFileCheckpoints
    from traitlets import Unicode

    class BuildCheckpoints(AsyncFileCheckpoints):
        """File checkpoints ("Revert to checkpoint") kept under one folder outside the
        notebooks' own: ``<directory>/<folder of the file, relative to the root>/``, so that
        no ``.ipynb_checkpoints`` appears beside a chapter."""

        directory = Unicode("", config=True, help="absolute folder for every checkpoint")

        def checkpoint_path(self, checkpoint_id, path):
            path = path.strip("/")
            parent, name = ("/" + path).rsplit("/", 1)
            basename, ext = os.path.splitext(name)
            folder = Path(self.directory or (Path(self.root_dir) / ".ipynb_checkpoints"))
            folder = folder / parent.strip("/")
            with self.perm_to_403():
                folder.mkdir(parents=True, exist_ok=True)
            return str(folder / f"{basename}-{checkpoint_id}{ext}")

    BuildCheckpoints.__module__ = __name__
    return BuildCheckpoints


def __getattr__(name: str):
    """``BuildCheckpoints`` is made when the server asks for it (by its dotted name), so the
    launcher itself does not import jupyter_server."""
    if name == "BuildCheckpoints":
        cls = globals()["BuildCheckpoints"] = _checkpoints_class()
        return cls
    raise AttributeError(name)


# --- what to open ---------------------------------------------------------------------------

def student_notebooks(root: Path | None = None, lang: str = SOURCE_LANGUAGE) -> Path:
    build = Path(root or project_root()) / "_build"
    return (build if lang == SOURCE_LANGUAGE else build / lang) / "student" / "notebooks"


def ensure_student_edition(root: Path | None = None, lang: str = SOURCE_LANGUAGE) -> Path:
    """The student notebooks in ``lang``, written first (without the HTML) if there are
    none."""
    folder = student_notebooks(root, lang)
    if not any(folder.glob("*.ipynb")):
        print(f"the student edition ({lang}) is not made yet: writing its notebooks "
              f"(python -m bentre student --no-html --lang {lang})", flush=True)
        subprocess.run([sys.executable, "-m", "bentre", "student", "--no-html", "--lang", lang],
                       check=True, cwd=str(root or project_root()))
    return folder


# JupyterLab settings a person may change in the lab (Settings menu); written once, as
# defaults. "defer" lays out every cell of a notebook (after the visible ones), so that the
# browser's find, printing and screen readers see the whole chapter; our notebooks are small.
DEFAULT_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "defer"},
    # Offline: JupyterLab would otherwise ask whether to fetch news from jupyter.org.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


def write_default_settings(state: Path) -> None:
    for name, values in DEFAULT_SETTINGS.items():
        path = state / "settings" / name
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values, indent=2) + "\n", encoding="utf-8")


def free_port(preferred: int, explicit: bool) -> int:
    """``preferred`` if nothing listens there; else, unless the port was asked for, the next
    free one."""
    for port in ([preferred] if explicit else range(preferred, preferred + 20)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            try:
                s.bind((HOST, port))
                return port
            except OSError:
                continue
    raise SystemExit(f"port {preferred} on {HOST} is in use: choose another, "
                     f"e.g. make lab LAB_PORT={preferred + 1}")


def server_command(notebook_dir: Path, port: int, state: Path,
                   open_path: str = "") -> list[str]:
    """The server's command line. The token goes in the environment (``JUPYTER_TOKEN``), not
    here, where any user of the machine could read it in the process list."""
    args = {
        "ServerApp.ip": HOST,
        "ServerApp.port": str(port),
        "ServerApp.port_retries": "0",
        "ServerApp.open_browser": "False",
        "ServerApp.root_dir": str(notebook_dir),
        "ServerApp.allow_remote_access": "False",
        "ServerApp.default_url": "/lab/tree/" + open_path if open_path else "/lab",
        "MappingKernelManager.default_kernel_name": KERNEL_NAME,
        "KernelSpecManager.ensure_native_kernel": "False",  # only the project's kernel
        "FileContentsManager.checkpoints_class": "bentre.book.lab.BuildCheckpoints",
        "BuildCheckpoints.directory": str(state / "checkpoints"),
        "NotebookNotary.data_dir": str(state / "data"),
        # Offline: no news feed, no update check (both would ask the internet).
        "LabApp.news_url": "None",
        "LabApp.check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
    }
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args["ServerApp.allow_root"] = "True"  # a container or CI run as root
    return [sys.executable, "-m", "jupyterlab", "--no-browser",
            *(f"--{key}={value}" for key, value in args.items())]


def _get(url: str, timeout: float = 2.0):
    with urllib.request.urlopen(url, timeout=timeout) as response:  # 127.0.0.1 only
        return json.loads(response.read().decode("utf-8"))


def wait_until_up(base: str, token: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"JupyterLab stopped at start (exit code {process.returncode}); "
                             "its log is above")
        try:
            _get(f"{base}/api/status?token={token}")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"JupyterLab did not answer on {base} within {timeout:.0f} s")


def banner(edition: str, url: str, notebook_dir: Path, state: Path) -> str:
    lines = [
        "",
        f"JupyterLab is running on {HOST} (kernel: {KERNEL_DISPLAY_NAME}).",
        f"  Open:  {url}",
        "  Stop:  Ctrl-C in this terminal",
        f"  Notebooks: {notebook_dir}",
        f"  JupyterLab's own state: {state}",
    ]
    if edition == "book":
        lines += [
            "These are the book's sources (chapters/): the glued numbers show as",
            "{glue:text}`name` roles here, since JupyterLab's MyST renderer does not resolve",
            "myst-nb's glue. The numbers are in the built book (make book) and in the student",
            "edition (make lab EDITION=student), where every role is replaced by its value.",
        ]
    else:
        lines += [
            "The student edition: solutions removed, glued numbers written in. A check cell",
            "under each exercise says whether an answer is right. Saved work stays in",
            f"{notebook_dir} (make student rewrites it: copy it out first).",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bentre.book.lab",
                                     description="JupyterLab on 127.0.0.1 for the book")
    parser.add_argument("--edition", choices=EDITIONS, default=os.environ.get("EDITION") or "book",
                        help="book: the chapters (teacher's sources); student: the student "
                             "edition's notebooks (made first if missing)")
    parser.add_argument("--lang", choices=LANGUAGES,
                        default=os.environ.get(LANGUAGE_ENV) or SOURCE_LANGUAGE,
                        help="the edition's language (default: BENTRE_LANG, else en): the "
                             "student notebooks in it, and the kernels' BENTRE_LANG")
    parser.add_argument("--port", type=int, default=None,
                        help=f"port on {HOST} (default: LAB_PORT or {DEFAULT_PORT}, "
                             "the next free one if taken)")
    parser.add_argument("--check", action="store_true",
                        help="start, check the kernel and the notebooks, stop")
    parser.add_argument("--notebooks", type=Path, default=None,
                        help="serve this folder instead (with --edition student: a student "
                             "edition written elsewhere)")
    parser.add_argument("--state-dir", type=Path, default=None,
                        help="JupyterLab's own state (default: _build/lab)")
    parser.add_argument("--install-kernel", action="store_true",
                        help=f"register the kernel {KERNEL_NAME!r} in this environment and exit")
    args = parser.parse_args(argv)

    if args.install_kernel:
        print(f"kernel {KERNEL_NAME!r} registered in {install_kernel()}")
        return 0
    import importlib.util

    if importlib.util.find_spec("jupyterlab") is None:
        raise SystemExit("JupyterLab is not installed in this environment: run make install")
    if not (kernel_dir() / "kernel.json").is_file():
        print(f"registering the kernel {KERNEL_NAME!r} in {kernel_dir()}", flush=True)
        install_kernel()

    root = project_root()
    if args.notebooks is not None:
        notebook_dir, open_path = args.notebooks.resolve(), ""
    elif args.edition == "student":
        notebook_dir, open_path = ensure_student_edition(root, args.lang), ""
    else:
        notebook_dir, open_path = root, "chapters"
    state = (args.state_dir or state_dir(root)).resolve()
    env_port = os.environ.get("LAB_PORT")
    explicit = args.port is not None or bool(env_port)
    port = free_port(args.port or int(env_port or DEFAULT_PORT), explicit)
    token = secrets.token_hex(24)
    for sub in ("config", "data", "runtime", "settings", "workspaces", "ipython",
                "checkpoints"):
        (state / sub).mkdir(parents=True, exist_ok=True)

    write_default_settings(state)
    def stop(signum, frame):  # `kill` as Ctrl-C: the server and its kernels stop too
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # started in the background
        signal.signal(signal.SIGINT, stop)
    started = time.monotonic()
    env = lab_environment(state)
    env["JUPYTER_TOKEN"] = token
    env[LANGUAGE_ENV] = args.lang  # the kernels inherit it
    process = subprocess.Popen(server_command(notebook_dir, port, state, open_path),
                               env=env, cwd=str(notebook_dir),
                               stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(base, token, process, START_TIMEOUT)
        url = f"{base}/lab/tree/{open_path}?token={token}" if open_path else \
            f"{base}/lab?token={token}"
        if args.check:
            specs = _get(f"{base}/api/kernelspecs?token={token}")
            listing = _get(f"{base}/api/contents/{open_path}?token={token}")
            notebooks = [i["name"] for i in listing["content"] if i["name"].endswith(".ipynb")]
            print(f"JupyterLab answered on {base} after {time.monotonic() - started:.1f} s; "
                  f"default kernel {specs['default']!r}, kernels {sorted(specs['kernelspecs'])}, "
                  f"{len(notebooks)} notebooks in {notebook_dir / open_path}")
            ok = specs["default"] == KERNEL_NAME and bool(notebooks)
            return 0 if ok else 1
        print(banner(args.edition, url, notebook_dir / open_path, state), flush=True)
        print(f"(started in {time.monotonic() - started:.1f} s)", flush=True)
        process.wait()
        return process.returncode
    except KeyboardInterrupt:
        print("\nstopping JupyterLab ...", flush=True)
        return 0
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # the server shuts its kernels down
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


if __name__ == "__main__":
    raise SystemExit(main())
