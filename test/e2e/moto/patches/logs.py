"""CloudWatch Logs FilterLogEvents with logStreamNamePrefix, for `backplane logs`.

Gap (moto 5.2.1, moto/logs/responses.py filter_log_events): the logStreamNamePrefix parameter is
ignored, so every stream of the group matches. AWS (CloudWatch Logs API Reference, FilterLogEvents):
"logStreamNamePrefix: Filters the results to include only events from log streams that have names
starting with this prefix. If you specify a value for both logStreamNamePrefix and logStreamNames,
the action returns an InvalidParameterException error." Fix: both, as documented; the prefix becomes
the list of the group's matching stream names (none match: no events).
"""

from __future__ import annotations

import json
from typing import Any

from moto.logs import responses
from moto.logs.exceptions import InvalidParameterException

from ._util import require

Response = responses.LogsResponse


def apply() -> list[str]:
    require(Response, "filter_log_events")

    def filter_log_events(self: Any) -> str:
        group_name = self._get_param("logGroupName")
        names = self._get_param("logStreamNames", [])
        prefix = self._get_param("logStreamNamePrefix")
        if prefix is not None and names:
            raise InvalidParameterException(
                msg="Cannot specify both logStreamNamePrefix and logStreamNames"
            )
        if prefix is not None:
            group = self.logs_backend.groups.get(group_name)
            names = [n for n in (group.streams if group else {}) if n.startswith(prefix)]
            if not names:
                return json.dumps({"events": [], "searchedLogStreams": []})
        events, next_token, searched = self.logs_backend.filter_log_events(
            group_name,
            names,
            self._get_param("startTime"),
            self._get_param("endTime"),
            self._get_param("limit"),
            self._get_param("nextToken"),
            self._get_param("filterPattern"),
            self._get_param("interleaved", False),
        )
        return json.dumps({"events": events, "nextToken": next_token, "searchedLogStreams": searched})

    Response.filter_log_events = filter_log_events
    return ["logs.stream_name_prefix"]
