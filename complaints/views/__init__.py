"""The register's pages. Thin: parse the request, check the permission, call a selector or a service, render."""

from .complaint import (
    acknowledgement,
    add_pages,
    answer,
    assign,
    close,
    complaint_detail,
    complete_draft,
    edit,
    extend,
    forward,
    pause_clock,
    prepare_letter,
    reopen,
    resume_clock,
)
from .files import answer_letter, page_image, page_thumbnail
from .register import branch_register, complaint_export, complaint_list
from .registration import complaint_register, customer_lookup

__all__ = [
    "acknowledgement",
    "add_pages",
    "answer",
    "answer_letter",
    "assign",
    "branch_register",
    "close",
    "complaint_detail",
    "complaint_export",
    "complaint_list",
    "complaint_register",
    "complete_draft",
    "customer_lookup",
    "edit",
    "extend",
    "forward",
    "page_image",
    "page_thumbnail",
    "pause_clock",
    "prepare_letter",
    "reopen",
    "resume_clock",
]
