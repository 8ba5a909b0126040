"""What several apps' admins share. Project-level, like ``navigation.py``: no app owns it."""


class ReadOnlyAdminMixin:
    """For what changes only through its services (register numbers, clocks, the audit trail): the admin looks,
    and its actions call the services; nothing is added, edited or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
