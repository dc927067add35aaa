"""Pinning the queries of a page, for the tests that pin each page's query count."""

from __future__ import annotations


def count_second_request(client, path, django_assert_num_queries, expected):
    """GET ``path`` twice and pin the queries of the second: the first warms the process-wide
    caches (content types), as every request after a process's first finds them."""
    client.get(path)
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert response.status_code == 200
    return response
