"""Errors of the service map, rendered by the app as ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from types import MappingProxyType

from server import errors


class PoiNotFound(errors.NotFound):
    code = "poi_not_found"
    message = "服务点不存在"


class DivisionNotFound(errors.NotFound):
    code = "division_not_found"
    message = "行政区划不存在"


class MapWarming(errors.ServiceUnavailable):
    """This worker is still reading the map at start-up (seconds with a million points)."""

    code = "map_warming"
    message = "地图数据正在加载，请稍后再试"
    headers = MappingProxyType({"Retry-After": "2"})


class SourceIdTaken(errors.Conflict):
    code = "source_id_taken"
    message = "该 source_id 已被其他服务点使用"


def invalid_field(field: str, message: str, *, location: str = "body",
                  code: str = "invalid") -> errors.ValidationFailed:
    """A 422 ``validation_error`` naming one field, shaped like the ones the decorator raises."""
    return errors.ValidationFailed.field(field, message, location=location, code=code)


class ImportFileInvalid(errors.ValidationFailed):
    code = "import_file_invalid"
    message = "文件不是 GeoJSON FeatureCollection"


class ImportJobNotFound(errors.NotFound):
    code = "import_job_not_found"
    message = "导入任务不存在"
