"""The one CSV writer behind every console download (day sheet, operation and login logs, letter stats)."""

from __future__ import annotations

from server.csvfile import csv_bytes


def test_a_file_opens_in_excel_as_utf8_with_crlf_rows_and_formulas_kept_as_text():
    data = csv_bytes(("姓名", "备注"), [("张三", "=HYPERLINK(\"http://x\")"), ("李四, 王五", None), ("-1", "+86")])
    assert data == ("\ufeff姓名,备注\r\n张三,\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"
                    "\"李四, 王五\",\r\n'-1,'+86\r\n").encode("utf-8")


def test_every_formula_start_excel_knows_is_quoted_and_nothing_else():
    data = csv_bytes(("a",), [(v,) for v in ("@SUM(A1)", "\tx", "a=b", "1-2", 3)]).decode("utf-8-sig")
    assert data.split("\r\n")[1:-1] == ["'@SUM(A1)", "'\tx", "a=b", "1-2", "3"]
