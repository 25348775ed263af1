"""How politely and patiently Kindred fetches, unless told otherwise: one set of numbers for the
HTTP session, the settings (``KINDRED_FETCH_DELAY``, ``KINDRED_FETCH_TIMEOUT``) and refresh.

Apart from :mod:`scrapers.http` so that reading them imports no HTTP library.

>>> DELAY, CONNECT_TIMEOUT, READ_TIMEOUT
(1.0, 10.0, 30.0)
>>> DEADLINE
60.0
"""

DELAY = 1.0  # seconds between two requests to one host (Scrapy's polite default)
CONNECT_TIMEOUT = 10.0  # seconds to connect
READ_TIMEOUT = 30.0  # seconds to wait for each read of an answer
MAX_BYTES = 10 * 2**20  # largest body read
DEADLINE = 60.0  # seconds for one whole response: connecting, headers and body together
