"""Every change to a complaint: one function each, keyword-only, one transaction with its audit entry and clocks.

Views, the admin and tasks call these and nothing else to change a complaint.
"""

from .forwarding import check_forwarding_possible, complaint_forward, record_forwarding_sent
from .letters import complaint_prepare_letter, letter_templates_for
from .registration import (
    COMPLAINT_EDITABLE_FIELDS,
    LEGAL_EXTENSION_MAX_DAYS,
    check_received_at,
    complaint_add_pages,
    complaint_complete_draft,
    complaint_register,
    complaint_update,
    take_register_number,
)
from .workflow import (
    complaint_answer,
    complaint_assign,
    complaint_close,
    complaint_extend_legal_term,
    complaint_pause_clock,
    complaint_reopen,
    complaint_resume_clock,
    legal_extension_due,
    legal_extension_refusal,
)

__all__ = [
    "COMPLAINT_EDITABLE_FIELDS",
    "LEGAL_EXTENSION_MAX_DAYS",
    "check_forwarding_possible",
    "check_received_at",
    "complaint_add_pages",
    "complaint_answer",
    "complaint_assign",
    "complaint_close",
    "complaint_complete_draft",
    "complaint_extend_legal_term",
    "complaint_forward",
    "complaint_pause_clock",
    "complaint_prepare_letter",
    "complaint_register",
    "complaint_reopen",
    "complaint_resume_clock",
    "complaint_update",
    "legal_extension_due",
    "legal_extension_refusal",
    "letter_templates_for",
    "record_forwarding_sent",
    "take_register_number",
]
