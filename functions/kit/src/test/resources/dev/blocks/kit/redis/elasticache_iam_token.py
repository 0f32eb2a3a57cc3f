"""Reference ElastiCache IAM token computed by botocore, for ElastiCacheIamTokenTest.

Usage: elasticache_iam_token.py CACHE USER SERVERLESS(true|false) REGION EPOCH_SECONDS ACCESS_KEY SECRET_KEY [SESSION_TOKEN]
Prints the token: botocore's SigV4 query-string presigning of GET http://CACHE/?Action=connect&User=USER
(&ResourceType=ServerlessCache) for the service elasticache, expiring after 900 seconds, without the scheme.
"""
import datetime
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main(argv):
    cache, user, serverless, region, epoch, access_key, secret_key = argv[:7]
    session_token = argv[7] if len(argv) > 7 else None
    fixed = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)

    class FixedDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return fixed.replace(tzinfo=None)

        @classmethod
        def now(cls, tz=None):
            return fixed if tz is not None else fixed.replace(tzinfo=None)

    botocore.auth.datetime.datetime = FixedDatetime  # the signer reads the time from here
    params = {"Action": "connect", "User": user}
    if serverless == "true":
        params["ResourceType"] = "ServerlessCache"
    request = AWSRequest(method="GET", url="http://" + cache + "/", params=params)
    botocore.auth.SigV4QueryAuth(Credentials(access_key, secret_key, session_token), "elasticache", region,
                                 expires=900).add_auth(request)
    print(request.url[len("http://"):])


if __name__ == "__main__":
    main(sys.argv[1:])
