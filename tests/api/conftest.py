import pytest

from clustertalks.api.models import ApiToken
from clustertalks.api.services import issue_token


@pytest.fixture
def write_token(organiser):
    return issue_token(organiser, "tests", ApiToken.Scope.WRITE)[1]


@pytest.fixture
def read_token(organiser):
    return issue_token(organiser, "tests read", ApiToken.Scope.READ)[1]


@pytest.fixture
def bearer(write_token):
    return {"HTTP_AUTHORIZATION": f"Bearer {write_token}"}
