"""Reading a CSV download the way a spreadsheet program would, after checking how it was handed over."""

import csv
import io


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download; fails unless it is UTF-8 with a byte-order mark and kept out of caches."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith("\ufeff".encode()), "no byte-order mark: a spreadsheet would misread Cyrillic"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
