"""One unit of the service's work (build the document, trace or clean it, render the answer)."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any, Literal

from unspun.data import CleanResult, Document, TraceResult
from unspun.errors import BadIndex, UnspunError
from unspun.index import Index

Action = Literal["trace", "clean", "stats"]
Render = Literal["json", "html", "fragment"]
Outcome = Literal["ok", "bad", "unavailable", "error"]


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded file, turned into a Document where the work runs (extraction can be slow)."""

    data: bytes
    filename: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Job:
    """What one request asks for; small and picklable, so a worker process can run it.

    ``render`` picks the answer: the JSON dict, a whole HTML report page (``nonce`` is the
    page's script nonce), or the report fragment the web page embeds.
    """

    action: Action
    source: Document | Upload | None = None
    render: Render = "json"
    nonce: str | None = None


def _trace(doc: Document, index: Index) -> TraceResult:
    """Trace ``doc`` against ``index`` (the seam tests replace)."""
    from unspun.trace import trace_document

    return trace_document(doc, index=index)


def _clean(doc: Document) -> CleanResult:
    """Clean ``doc``."""
    from unspun.clean import clean

    return clean(doc)


def document(source: Document | Upload | None) -> Document:
    """The Document a job's source stands for.

    Raises:
        BadInput: an empty, binary or malformed upload.
    """
    from unspun.web.inputs import uploaded_document

    if isinstance(source, Upload):
        return uploaded_document(source.data, filename=source.filename, title=source.title)
    if source is None:
        raise UnspunError("no document in the request")
    return source


def run_job(job: Job, index: Index | None) -> Any:
    """Do ``job`` and return its answer: a JSON-ready dict or an HTML string.

    Raises:
        BadIndex: a trace or stats job without a usable index.
        UnspunError: bad input (the request gets a 400).
    """
    from unspun.report.jsonout import clean_to_dict, trace_to_dict

    if job.action == "clean":
        return clean_to_dict(_clean(document(job.source)))
    if index is None:
        raise BadIndex("index", "no index: start the server with 'unspun serve --index DIR'")
    if job.action == "stats":
        return index.stats()
    result = _trace(document(job.source), index)
    if job.render == "html":
        from unspun.report.html import render_html

        return render_html(result, nonce=job.nonce)
    if job.render == "fragment":
        from unspun.report.html import render_fragment

        return render_fragment(result)
    return trace_to_dict(result)


def outcome(job: Job, index: Index | None) -> tuple[Outcome, Any]:
    """Run ``job`` and classify the result for the HTTP layer (never raises for a job's error).

    Returns:
        ``("ok", answer)``, ``("bad", message)`` for bad input (400), ``("unavailable",
        message)`` when the index cannot be used (503), ``("error", message)`` for a bug (500).
    """
    try:
        return "ok", run_job(job, index)
    except BadIndex as exc:
        return "unavailable", str(exc)
    except UnspunError as exc:
        return "bad", str(exc)
    except RecursionError:
        return "bad", "the input is nested too deeply to process"
    except Exception as exc:  # noqa: BLE001 - a bug must not take the worker down
        traceback.print_exc()  # the operator's log gets the details; the client one line
        return "error", f"internal error ({type(exc).__name__})"
