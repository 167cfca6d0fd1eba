"""The citizen portal (市民上报): anyone reports a problem or a suggestion without an account and follows it by its
tracking code. See README.md."""
