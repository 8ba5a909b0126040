"""Reading a CSV download the way a spreadsheet program would, after checking how it was handed over."""

import csv
import io


def csv_rows(response, delimiter: str = ",") -> list[list[str]]:
    """The rows of a CSV download; fails unless it is UTF-8 with a byte-order mark and kept out of caches."""
    assert response.status_code == 200
    assert response.streaming, "a download is written while it is sent, never built whole in memory"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode()), "no byte-order mark: a spreadsheet would misread Cyrillic"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def streamed_csv(client, url, params=None, delimiter: str = ",") -> tuple[list[list[str]], int]:
    """The rows of a download that must stream, and the queries it took from the request to its last row
    (a streamed download reads the database while it is sent)."""
    from django.db import connection
    from django.http import StreamingHttpResponse
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        assert isinstance(response, StreamingHttpResponse)
        rows = csv_rows(response, delimiter)
    return rows, len(queries.captured_queries)


def refused(response) -> str:
    """The plain-text message of a download refused for a wrong filter (never a file of every row)."""
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in response
    text = response.content.decode()
    assert text.startswith("The filters are not valid; nothing was exported.")
    return text
