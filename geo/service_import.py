"""Import jobs (导入任务): a GeoJSON file an administrator uploads in the console, imported in the background.

The import itself is :func:`geo.importer.import_features`, exactly what ``bianmin import-pois`` and
``POST /api/v1/map/import`` run. A job's state and counts live in the database (``geo_import_jobs``),
written after every chunk, so whichever worker answers the progress page's poll sees them, with or
without Redis. The job runs as a task of the worker that received the upload; if that process stops,
its job's heartbeat (``updated_at``) goes stale and the job shows as interrupted (importing the file
again is safe: features are matched by ``source_id``). When it ends, every feature has a line in the
report (``geo_import_items``): its index, name, result and, for a refused one, why.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import orjson

from geo import importer
from geo.errors import ImportFileInvalid, ImportJobNotFound
from geo.importer import ImportReport
from geo.schemas_edit import MAX_IMPORT_FEATURES
from geo.tables import ImportItem, ImportJob
from server import audit, clock
from server.auth import CurrentUser

log = logging.getLogger("bianmin.geo.import")
KEPT_FOR = timedelta(days=90)  # then a job and its report are forgotten (the operation log keeps its counts)
STALE_AFTER = timedelta(minutes=2)  # a running job writes at least once per chunk of 1,000 features
REPORT_LINES = 1000  # lines of a report shown at once
ITEM_BATCH = 1000
RUNNING = ("queued", "running")
_tasks: set[asyncio.Task[None]] = set()  # the running jobs of this process (a task needs a reference)


def read_collection(data: bytes) -> list[Any]:
    """The features of an uploaded FeatureCollection file; 422 ``import_file_invalid`` saying what is wrong."""
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise ImportFileInvalid("文件不是有效的 JSON（GeoJSON 须为 UTF-8 编码的 JSON）", details={"field": "file"}) from None
    if not isinstance(parsed, dict) or parsed.get("type") != "FeatureCollection" or not isinstance(
            parsed.get("features"), list):
        raise ImportFileInvalid(details={"field": "file"})
    features = parsed["features"]
    if not features:
        raise ImportFileInvalid("文件中没有要素（features 为空）", details={"field": "file"})
    if len(features) > MAX_IMPORT_FEATURES:
        raise ImportFileInvalid(f"一次最多导入 {MAX_IMPORT_FEATURES} 个要素，请拆分文件",
                                details={"field": "file", "features": len(features)})
    return features


async def start_import(features: Sequence[Any], *, filename: str, coord: str, actor: CurrentUser) -> int:
    """Record a new job and start importing in the background; returns the job's id at once."""
    now = clock.now()
    job = await ImportJob.create(user_id=actor.id, filename=filename[:200], coord=coord, total=len(features),
                                 created_at=now, updated_at=now)
    audit.changed(target=f"import_job_id={job.id}", before=None, after={"features": len(features)})
    task = asyncio.create_task(run_import(job.id, features, coord=coord, actor=actor), name=f"geo-import-{job.id}")
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return job.id


async def run_import(job_id: int, features: Sequence[Any], *, coord: str, actor: CurrentUser) -> None:
    """Import the features, writing the job's counts after each chunk, then its report and its log entry."""
    report = ImportReport()
    await _save(job_id, status="running")
    try:
        await importer.import_features(features, coord=coord, report=report,
                                       progress=lambda _settled: _save(job_id, **_counts(report)))
        await _save_report(job_id, features, report)
    except asyncio.CancelledError:  # the server is stopping: say so, and let it stop
        await _save(job_id, status="failed", error="服务停止，导入中断；重新导入同一文件即可继续", finished_at=clock.now(),
                    **_counts(report))
        raise
    except Exception:
        log.exception("import job failed", extra={"job_id": job_id})
        await _save(job_id, status="failed", error="导入出错（已记录日志）；已导入的网点保留，可重新导入同一文件",
                    finished_at=clock.now(), **_counts(report))
        return
    await _save(job_id, status="done", finished_at=clock.now(), **_counts(report))
    await audit.record_operation(actor=actor, action="geo.import_finished", target=f"import_job_id={job_id}",
                                 after=_counts(report), route="/console/admin/map/import", method="POST")


def _counts(report: ImportReport) -> dict[str, int]:
    return {"created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "rejected": len(report.rejected)}


async def _save(job_id: int, **values: Any) -> None:
    await ImportJob.filter(id=job_id).update(updated_at=clock.now(), **values)


def _name_of(raw: Any) -> str:
    props = raw.get("properties") if isinstance(raw, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    return name.strip()[:128] if isinstance(name, str) else ""


async def _save_report(job_id: int, features: Sequence[Any], report: ImportReport) -> None:
    reasons = {item["index"]: item["reason"] for item in report.rejected}
    lines = [ImportItem(job_id=job_id, index=i, name=_name_of(raw),
                        result="rejected" if i in reasons else report.outcomes.get(i, "unchanged"),
                        reason=reasons.get(i, "")[:300])
             for i, raw in enumerate(features)]
    for start in range(0, len(lines), ITEM_BATCH):
        await ImportItem.bulk_create(lines[start:start + ITEM_BATCH])
        await _save(job_id)  # the heartbeat: a big report takes a while


async def job_state(job_id: int) -> dict[str, Any]:
    """A job's status (``queued``, ``running``, ``done``, ``failed``, or ``stalled`` when its process
    stopped answering), its counts and how far it got."""
    job = await ImportJob.get_or_none(id=job_id)
    if job is None:
        raise ImportJobNotFound(details={"job_id": job_id})
    return _state(job)


def _state(job: ImportJob) -> dict[str, Any]:
    settled = job.created + job.updated + job.unchanged + job.rejected
    status = job.status
    if status in RUNNING and clock.now() - job.updated_at > STALE_AFTER:
        status = "stalled"
    return {"id": job.id, "filename": job.filename, "status": status, "total": job.total, "settled": settled,
            "percent": round(100 * settled / job.total) if job.total else 100, "created": job.created,
            "updated": job.updated, "unchanged": job.unchanged, "rejected": job.rejected, "error": job.error,
            "created_at": job.created_at, "finished_at": job.finished_at, "user_id": job.user_id}


async def job_report(job_id: int, *, rejected_only: bool = False, limit: int = REPORT_LINES) -> list[dict[str, Any]]:
    """The first ``limit`` lines of a finished job's report, by feature index: ``{index, name, result, reason}``."""
    lines = ImportItem.filter(job_id=job_id)
    if rejected_only:
        lines = lines.filter(result="rejected")
    return await lines.order_by("index").limit(limit).values("index", "name", "result", "reason")


async def recent_jobs(*, limit: int = 10) -> list[dict[str, Any]]:
    """The latest import jobs, newest first (the import page lists them)."""
    return [_state(job) for job in await ImportJob.all().order_by("-id").limit(limit)]


async def purge_old_jobs() -> int:
    """Forget import jobs started more than 90 days ago, and their reports (the daily job); how many went."""
    old = await ImportJob.filter(created_at__lt=clock.now() - KEPT_FOR).values_list("id", flat=True)
    if old:
        await ImportItem.filter(job_id__in=old).delete()
        await ImportJob.filter(id__in=old).delete()
    return len(old)
