"""The Dash callbacks, one module per feature; each is registered by the app
factory on the app it builds."""
