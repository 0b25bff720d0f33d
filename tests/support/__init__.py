"""Test support shared by the server and the app tests: the live service and case builders."""
