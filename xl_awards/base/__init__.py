"""What every stage shares: findings and their messages, value normalisation, errors.

Pure core: imports only the standard library, the edition and maintained value libraries."""
