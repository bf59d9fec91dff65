"""
Who moderates. Applied to the database after every ``migrate`` by
``newsroom.roles``, like the editorial roles of ``articles.workflow``.
"""

ROLES = {
    "Moderator": [
        "comments.view_comment",
        "comments.change_comment",
        "comments.delete_comment",
        "comments.view_moderationword",
        "comments.add_moderationword",
        "comments.change_moderationword",
        "comments.delete_moderationword",
        "comments.view_emailconfirmation",
        "comments.delete_emailconfirmation",
    ],
}
