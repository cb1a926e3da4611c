"""What every stage shares: findings and the rule table (messages), normalisation, tables, addresses, errors.
May import the edition only (and the standard library, maintained value libraries); every folder imports it."""
