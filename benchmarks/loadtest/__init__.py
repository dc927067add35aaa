"""The load test: locust against gunicorn on PostgreSQL. See run.py."""
