"""The demo congress and `suara rehearse`: the reference scenario, driven over the app's HTTP."""
