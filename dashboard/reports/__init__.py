"""The supervisors' reports; ``catalogue.REPORTS`` lists them with their forms and titles."""
