"""The browser app: cited answers with clickable sources, the library, timelines and report exports.

`build_ui(app)` assembles the tabs (one module each in briefing/web/) into Gradio Blocks, and
`serve(settings)` checks the bind address, seeds a first-time library and launches it. The tabs
reach the library only through `briefing.api.Briefing`.

This is the top of the app, and the `briefing` script starts here (`main`): the commands of
briefing.cli plus `serve`. Gradio loads only when the app is built, so `briefing ask` stays quick.
"""

from __future__ import annotations

import atexit
import contextlib
import ipaddress
import logging
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

# briefing (through core) sets HF_HUB_OFFLINE first: the huggingface_hub gradio imports reads it once.
from briefing.cli import cli
from core.errors import BriefingError
from core.settings import ServerSettings, Settings

if TYPE_CHECKING:
    import gradio as gr

    from briefing.api import Briefing

log = logging.getLogger("briefing.ui")


def generator_status(app: Briefing) -> tuple[str, str | None]:
    """The active generator's name, and why it cannot run (with the install hint) if it cannot."""
    from rag.llms import LOCAL_HINT, llamacpp_available

    g = app.settings.generation
    try:
        name = app.answerer.generator_name
    except BriefingError as exc:
        return app.settings.generation.generator, str(exc)
    if name == "llamacpp":
        if not llamacpp_available():
            return name, f"not installed ({LOCAL_HINT})"
        model = Path(g.llm_model).name if g.llm_model else "Gemma 3 270M"
        state, problem = app.local_model_state()
        if problem:
            return f"llamacpp · {model}", f"local model unavailable: {problem}; answering from the sources"
        return f"llamacpp · {model} · {state}", None
    if name in ("ollama", "openai") and g.llm_model:
        return f"{name} · {g.llm_model}", None
    return name, None


def theme() -> Any:
    import gradio as gr

    # Local fonts only: a theme with Google fonts would make every page load reach the internet.
    return gr.themes.Soft(
        primary_hue="indigo",
        neutral_hue="slate",
        font=["Inter", "Liberation Sans", "DejaVu Sans", "system-ui", "sans-serif"],
        font_mono=["DejaVu Sans Mono", "Liberation Mono", "monospace"],
    )


def build_ui(app: Briefing, settings: Settings | None = None) -> gr.Blocks:
    """The Gradio app over one library; launching is separate (see `serve`)."""
    import gradio as gr

    from briefing.web.ask_tab import build_ask_tab
    from briefing.web.brief_tab import build_brief_tab
    from briefing.web.library_tab import build_library_tab
    from briefing.web.public_api import build_public_api
    from briefing.web.render import render_conversation, render_header
    from briefing.web.timeline_tab import build_timeline_tab

    settings = settings or app.settings
    exports = Path(tempfile.mkdtemp(prefix="briefing-exports-"))
    atexit.register(shutil.rmtree, exports, ignore_errors=True)

    def header_html() -> str:
        name, problem = generator_status(app)
        counts = app.counts(vectors=False)
        return render_header(name, problem, settings.embedding.model, counts["documents"], counts["chunks"])

    with gr.Blocks(title="Briefing", fill_width=True, delete_cache=(3600, 24 * 3600)) as demo:
        # First, so the public names (ask, sources, …) are theirs and the page's own events get others.
        build_public_api(app, settings.server.upload_max_mb)
        header = gr.HTML(header_html(), elem_id="bf-header-block", apply_default_css=False, js_on_load=None)
        with gr.Tabs():
            ask = build_ask_tab(app, header, header_html, exports)
            library = build_library_tab(app, header, header_html, ask.outlets, settings.server.upload_max_mb)
            build_timeline_tab(app)
            build_brief_tab(app, exports)

        def on_load() -> tuple[Any, ...]:
            documents = app.counts(vectors=False)["documents"]
            return (render_conversation([], documents=documents), *library.state())

        # Another tab, the CLI or another analyst may have changed the library since the page was built.
        demo.load(on_load, None, [ask.conversation, *library.outputs], api_visibility="private")
        library.tab.select(
            library.state,
            [ask.outlets, library.chosen],
            library.outputs,
            show_progress="hidden",  # a quick refresh: no spinner over every part of the tab
            api_visibility="private",
        )
    return demo


# --- serving ----------------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(settings: ServerSettings, insecure: bool = False) -> tuple[str, str] | None:
    """The credentials to require, or None; refuses a reachable address that nobody guards."""
    user, password = settings.auth_user, settings.auth_password
    if bool(user) != bool(password):
        raise BriefingError(
            "give both a user name and a password (--auth-user/--auth-password or "
            "BRIEFING_AUTH_USER/BRIEFING_AUTH_PASSWORD)"
        )
    if user and password:
        return (user, password)
    if is_loopback(settings.host) or insecure:
        return None
    raise BriefingError(
        f"refusing to serve on {settings.host} without a password: anyone who can reach that address could read "
        "and change the library. Set --auth-user and --auth-password (or BRIEFING_AUTH_USER and "
        "BRIEFING_AUTH_PASSWORD), bind to 127.0.0.1, or pass --insecure on a network you trust."
    )


def mcp_enabled(settings: ServerSettings) -> bool:
    """Serve MCP tools? As set (--mcp/--no-mcp, BRIEFING_MCP), else on a loopback address only."""
    return is_loopback(settings.host) if settings.mcp is None else settings.mcp


def launch(
    demo: gr.Blocks, settings: ServerSettings, auth: tuple[str, str] | None = None, block: bool = True
) -> tuple[Any, str, str]:
    """Serve the app with the house theme, the upload limit and (when given) a login."""
    from briefing.heartbeats import heartbeat_middleware
    from briefing.web import static_text
    from briefing.web.public_api import mcp_login_middleware, mcp_results_as_json

    if mcp_enabled(settings):
        mcp_results_as_json()
    demo.queue(default_concurrency_limit=2)
    try:
        return demo.launch(
            server_name=settings.host,
            server_port=settings.port,
            auth=auth,
            auth_message="Briefing: sign in to reach this library." if auth else None,
            max_file_size=f"{settings.upload_max_mb}mb",
            show_error=True,
            quiet=True,
            prevent_thread_lock=not block,
            footer_links=["api", "gradio"],
            ssr_mode=False,
            mcp_server=mcp_enabled(settings),
            pwa=False,
            theme=theme(),
            css=static_text("briefing.css"),
            app_kwargs={"middleware": [*heartbeat_middleware(), *mcp_login_middleware(auth)]},
        )
    except OSError as exc:
        raise BriefingError(
            f"cannot listen on {settings.host}:{settings.port} ({exc}); is another server using it? Try --port"
        ) from exc


def _warm_up(app: Briefing) -> None:
    try:
        app.retrieve("warm up")
    except Exception:  # the first real question will report the problem properly
        log.debug("warm-up failed", exc_info=True)


def _check_local_model(app: Briefing) -> None:
    """Start the local model's worker once, so the header tells its state before the first question."""
    try:
        if app.answerer.generator_name != "llamacpp":
            return
        print("Checking the local model …", file=sys.stderr, flush=True)
        problem = app.check_generator()
    except BriefingError as exc:
        problem = str(exc)
    if problem:
        print(f"local model unavailable: {problem}; questions are answered from the sources", file=sys.stderr)
    else:
        print("The local model is ready.", file=sys.stderr)


# Set by Ctrl+C or SIGTERM, so that a stop request is never lost (see _stop_on_signals).
_STOP = threading.Event()


def _stop_on_signals() -> None:
    """Stop on SIGTERM (kill, systemd, docker stop) the way Ctrl+C stops: the server closes, the library
    is closed and the temporary conversation exports are removed. Python's default dies on the spot.

    Both signals raise KeyboardInterrupt and also record the request. A signal that lands inside a
    finalizer (an event loop's __del__ while Gradio starts) only records it: Python would print the
    exception raised there and carry on, and the app would keep running. Start-up and the serving
    loop check the record.
    """

    def interrupt(signum: int, frame: FrameType | None) -> None:
        _STOP.set()
        if frame is not None and frame.f_code.co_name == "__del__":
            return
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        _STOP.clear()
        signal.signal(signal.SIGTERM, interrupt)
        signal.signal(signal.SIGINT, interrupt)
        if not getattr(sys.unraisablehook, "briefing_quiet_after_stop", False):
            sys.unraisablehook = _quiet_after_stop(sys.unraisablehook)


def _quiet_after_stop(previous: Any) -> Any:
    """An unraisable-exception hook that, once a stop was requested, logs instead of printing.

    A stop that lands inside a constructor (an asyncio event loop's, while Gradio starts) leaves a
    half-built object; its finalizer then fails ("'_UnixSelectorEventLoop' object has no attribute
    '_ssock'") and Python prints that traceback on the way out of a clean stop. Before a stop, such
    errors are printed as usual.
    """

    def hook(unraisable: Any) -> None:
        if _STOP.is_set():
            log.debug("after the stop: %s in %r", unraisable.exc_value, unraisable.object)
            return
        previous(unraisable)

    hook.briefing_quiet_after_stop = True  # type: ignore[attr-defined]
    return hook


def _stop_if_asked() -> None:
    """Raise KeyboardInterrupt if a stop was requested and its exception went nowhere."""
    if _STOP.is_set():
        raise KeyboardInterrupt


def _forget_handled_interrupt() -> None:
    """Let a process whose stop was handled exit with status 0.

    CPython remembers a KeyboardInterrupt that ends code run by exec() on a string (dataclasses,
    named tuples and Gradio build their functions that way while the page is built) and, at exit,
    kills its own process with SIGINT even when the exception was caught further up. The next exec()
    that finishes clears that record.
    """
    exec("None")


def _serve_until_stopped(demo: gr.Blocks) -> None:
    """Serve until Ctrl+C or SIGTERM (raised here or only recorded), then close the server."""
    with contextlib.suppress(KeyboardInterrupt):
        while demo.is_running and not _STOP.wait(0.1):
            pass
    print("Stopping: closing the server.", file=sys.stderr, flush=True)
    demo.close()


def serve(settings: Settings, seed: Path | None = None, insecure: bool = False) -> None:
    """Check the address, open the library, seed it on first start, then serve until interrupted."""
    server = settings.server
    auth = check_bind(server, insecure)
    if not is_loopback(server.host) and not auth:
        print(f"warning: serving on {server.host} without a password (--insecure)", file=sys.stderr)
    from briefing.api import Briefing

    app = Briefing(settings)
    if seed is not None:
        print(f"Checking the sample library in {seed} …", file=sys.stderr)
        report = app.seed(seed)
        if report is not None:
            print(
                f"Seeded the library with {len(report.added)} documents from {seed} ({len(report.failed)} failed).",
                file=sys.stderr,
            )
    _check_local_model(app)
    _stop_on_signals()
    demo: gr.Blocks | None = None
    up = False
    try:
        demo = build_ui(app, settings)
        _stop_if_asked()
        if settings.feeds.poll_in_serve:  # feeds are polled on their intervals for as long as the app runs
            app.start_feed_polling()
        # Load the embedder and open the indexes while the page loads, so the first question is quick.
        threading.Thread(target=_warm_up, args=(app,), daemon=True, name="briefing-warm-up").start()
        launch(demo, server, auth, block=False)
        _stop_if_asked()
        host = "127.0.0.1" if server.host in ("0.0.0.0", "::") else server.host
        print(f"Briefing is running at http://{host}:{server.port}  (Ctrl+C to stop)", file=sys.stderr, flush=True)
        up = True
        _serve_until_stopped(demo)
    except KeyboardInterrupt:  # stopped while still starting up, or pressed again while closing
        print("Stopped." if up else "Stopped before the app was up.", file=sys.stderr)
        if demo is not None:
            with contextlib.suppress(Exception):
                demo.close()
    finally:
        app.close()
        _forget_handled_interrupt()


@cli.command("serve")
@click.option("--host", help="Address to listen on (default 127.0.0.1; env BRIEFING_HOST).")
@click.option("--port", type=int, help="Port (default 7860; env BRIEFING_PORT).")
@click.option(
    "--seed",
    type=click.Path(exists=True, path_type=Path),
    help="Ingest this folder on the library's first start only (e.g. corpus/).",
)
@click.option("--auth-user", help="User name to require (env BRIEFING_AUTH_USER).")
@click.option("--auth-password", help="Password to require (env BRIEFING_AUTH_PASSWORD).")
@click.option("--insecure", is_flag=True, help="Allow a non-local address without a password.")
@click.option(
    "--mcp/--no-mcp",
    default=None,
    help="Serve the API as MCP tools at /gradio_api/mcp (default: on for a loopback address; env BRIEFING_MCP).",
)
@click.option("--upload-max-mb", type=click.IntRange(min=1), help="Largest upload in MB (env BRIEFING_UPLOAD_MAX_MB).")
@click.pass_context
def serve_command(ctx: click.Context, seed: Path | None, insecure: bool, **options: Any) -> None:
    """Run the browser app: ask with clickable citations, manage the library, export reports.

    Listens on 127.0.0.1 unless told otherwise; any other address needs --auth-user and
    --auth-password (or --insecure on a network you trust).
    """
    settings: Settings = ctx.obj["settings"]
    serve(settings.updated(**options), seed=seed, insecure=insecure)


def main() -> None:
    """The `briefing` script: every command of briefing.cli, and `serve`."""
    cli(obj={})


if __name__ == "__main__":
    main()
