"""Projects: a budget with an owner, requests paid from it, and transfer to another owner."""
