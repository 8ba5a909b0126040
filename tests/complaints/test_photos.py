"""Photos are checked by their content with Pillow, turned upright, stripped of their metadata, thumbnailed."""

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from complaints import photos
from tests.complaints.sample_files import jpeg_bytes, pdf_bytes, png_bytes, png_claiming, upload


def refused(name, content):
    with pytest.raises(ValidationError) as caught:
        photos.prepare_photo(upload(name, content))
    return caught.value


def test_a_photo_is_turned_upright_and_loses_every_piece_of_metadata():
    original = jpeg_bytes((320, 240), orientation=6, gps=True, comment=b"taken at home")
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825), "the test photo carries a GPS position"

    prepared = photos.prepare_photo(upload("page.jpg", original))

    kept = Image.open(io.BytesIO(prepared.content))
    assert kept.format == "JPEG"
    assert kept.size == (240, 320), "EXIF orientation 6 (a quarter turn) applied to the pixels"
    assert (prepared.width, prepared.height) == (240, 320)
    assert not kept.getexif(), "no EXIF left, GPS included"
    assert "comment" not in kept.info and "icc_profile" not in kept.info and "exif" not in kept.info
    # The yellow mark of the top-left corner is now at the top right.
    assert kept.getpixel((230, 10))[2] < 100 and kept.getpixel((10, 10))[2] > 100


def test_a_thumbnail_is_made():
    prepared = photos.prepare_photo(upload("page.jpg", jpeg_bytes((1600, 1200))))
    thumbnail = Image.open(io.BytesIO(prepared.thumbnail))
    assert thumbnail.format == "JPEG" and max(thumbnail.size) == photos.THUMBNAIL_SIDE


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted_and_kept_as_jpeg(image_format):
    output = io.BytesIO()
    Image.new("RGBA", (120, 80), (255, 0, 0, 0)).save(output, image_format)
    prepared = photos.prepare_photo(upload("page.bin", output.getvalue()))
    kept = Image.open(io.BytesIO(prepared.content))
    assert kept.format == "JPEG" and kept.mode == "RGB"
    assert kept.getpixel((60, 40)) > (240, 240, 240), "transparency becomes white paper, not black"


def test_the_same_photo_has_the_same_fingerprint_even_with_other_metadata():
    first = photos.prepare_photo(upload("a.jpg", jpeg_bytes()))
    again = photos.prepare_photo(upload("b.jpg", jpeg_bytes(gps=True, comment=b"resent")))
    other = photos.prepare_photo(upload("c.jpg", jpeg_bytes(color="green")))
    assert first.sha256 == again.sha256 != other.sha256


def test_a_text_file_named_jpg_is_refused():
    error = refused("page.jpg", b"Dear Sir, this is not a photo at all.\n" * 20)
    assert error.messages == ["“page.jpg” is not a JPEG, PNG or WebP image (or it is damaged)."]


def test_an_empty_file_is_refused():
    assert refused("page.jpg", b"").messages == ["“page.jpg” is empty."]


def test_a_20_mb_file_is_refused_before_it_is_read(settings):
    class Huge:
        name, size = "huge.jpg", 20 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("a file over the limit is never read")

        def seek(self, *args):
            raise AssertionError("a file over the limit is never read")

    with pytest.raises(ValidationError) as caught:
        photos.prepare_photo(Huge())
    assert caught.value.messages == ["“huge.jpg” is 20.0\xa0MB; at most 15.0\xa0MB is accepted."]


def test_a_real_20_mb_upload_is_refused():
    assert refused("big.jpg", b"\xff\xd8\xff" + bytes(20 * 1024 * 1024)).error_list[0].code == "too_large"


def test_a_30000_by_30000_png_is_refused_without_decoding_it():
    bomb = png_claiming(30_000, 30_000)
    assert len(bomb) < 100
    started = time.perf_counter()
    error = refused("bomb.png", bomb)
    assert time.perf_counter() - started < 1, "refused from the header, nothing decoded"
    assert error.error_list[0].code == "too_many_pixels"
    assert "at most 50 megapixels" in error.messages[0]


def test_the_pixel_limit_is_read_from_the_header(settings):
    settings.COMPLAINT_PHOTO_MAX_PIXELS = 2_000_000
    error = refused("wide.png", png_claiming(3000, 1000))
    assert error.messages == ["“wide.png” has 3000 × 1000 pixels; at most 2 megapixels are accepted."]


def test_other_image_formats_and_damaged_files_are_refused():
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    assert refused("page.gif", gif.getvalue()).error_list[0].code == "not_an_image"
    truncated = jpeg_bytes((800, 600))[:400]
    assert refused("cut.jpg", truncated).error_list[0].code == "not_an_image"
    assert refused("cut.png", png_bytes()[:60]).error_list[0].code == "not_an_image"


def test_all_problems_of_several_files_are_reported_together():
    with pytest.raises(ValidationError) as caught:
        photos.prepare_photos([upload("good.jpg", jpeg_bytes()), upload("a.jpg", b"text"), upload("b.jpg", b"")])
    assert caught.value.messages == [
        "“a.jpg” is not a JPEG, PNG or WebP image (or it is damaged).",
        "“b.jpg” is empty.",
    ]


def test_letters_may_be_pdf_docx_or_images():
    pdf = photos.prepare_letter(upload("answer.pdf", pdf_bytes(), "application/pdf"))
    assert pdf.content_type == "application/pdf" and pdf.suffix == ".pdf" and pdf.content == pdf_bytes()
    document = io.BytesIO()
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    docx = photos.prepare_letter(upload("answer.docx", document.getvalue(), "application/octet-stream"))
    assert docx.suffix == ".docx"
    scan = photos.prepare_letter(upload("scan.jpg", jpeg_bytes(gps=True)))
    assert scan.content_type == "image/jpeg" and not Image.open(io.BytesIO(scan.content)).getexif()
    with pytest.raises(ValidationError) as caught:
        photos.prepare_letter(upload("answer.exe", b"MZ\x90\x00 not a letter"))
    assert caught.value.messages == ["“answer.exe” is not a PDF, a Word document (DOCX) or a JPEG, PNG or WebP image."]


def test_a_pdf_a_reader_opens_is_accepted_even_with_restrictions():
    """Several pages, or an owner password that only restricts printing or copying: it opens in any reader."""
    assert photos.prepare_letter(upload("long.pdf", pdf_bytes(pages=3))).content_type == "application/pdf"
    restricted = pdf_bytes(owner_password="owner-secret")
    assert photos.prepare_letter(upload("restricted.pdf", restricted)).content == restricted


def refused_letter(name, content):
    with pytest.raises(ValidationError) as caught:
        photos.prepare_letter(upload(name, content, "application/pdf"))
    return caught.value


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n%fake but typed as PDF\n",
        b"%PDF-1.7 " + b"x" * 5000,
        pdf_bytes()[:200],
        pdf_bytes().replace(b"/Pages", b"/Broken"),
    ],
    ids=["header-only", "header-then-garbage", "cut-short", "no-page-tree"],
)
def test_a_file_that_only_begins_like_a_pdf_is_refused(content):
    error = refused_letter("answer.pdf", content)
    assert error.error_list[0].code == "bad_pdf"
    assert error.messages == ["“answer.pdf” begins like a PDF but cannot be opened: it is damaged or not a PDF."]


def test_a_pdf_without_pages_is_refused():
    error = refused_letter("empty.pdf", pdf_bytes(pages=0))
    assert error.messages == ["“empty.pdf” is a PDF without any page."]


def test_a_pdf_that_needs_a_password_to_open_is_refused():
    error = refused_letter("secret.pdf", pdf_bytes(user_password="open-sesame"))
    assert error.messages == ["“secret.pdf” opens only with a password: attach a copy without one."]


def test_a_letter_over_the_limit_is_refused(settings):
    settings.COMPLAINT_LETTER_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        photos.prepare_letter(upload("answer.pdf", b"%PDF-" + bytes(2000)))
    assert caught.value.error_list[0].code == "too_large"


def test_stored_names_cannot_be_guessed(media):
    prepared = photos.prepare_photo(upload("Ivanov complaint.jpg", jpeg_bytes()))
    first, second = photos.store(prepared), photos.store(prepared)
    assert first.image != second.image
    for name in (first.image, first.thumbnail):
        assert "Ivanov" not in name and len(name.rsplit("/", 1)[-1]) >= 32
        assert (media / name).is_file()
