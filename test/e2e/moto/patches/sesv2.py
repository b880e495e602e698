"""SES v2 gaps in moto 5.2.1 that break `terraform apply` of the `ses` module (and the email tier).

Written to the convention of test/e2e/moto/patches (``apply() -> list[str]``, each patch checks that what it
wraps still exists): the harness owner can copy this file into that package and add it to ``apply_all``.
Gaps (moto/sesv2/models.py, moto/sesv2/responses.py, moto/ses/models.py):

1. ``CreateEmailIdentity`` for a domain with Easy DKIM returns DkimAttributes WITHOUT ``Tokens`` (moto only
   fills SigningEnabled/Status/...), so ``aws_sesv2_email_identity.dkim_signing_attributes[0].tokens`` is
   empty and every DKIM record (``tokens[0..2]``) fails with "index out of range". Fix: three stable
   32-character tokens per domain (as SES gives), ``CurrentSigningKeyLength`` and SigningEnabled.
2. ``PutEmailIdentityMailFromAttributes`` is not implemented, and GetEmailIdentity has no
   ``MailFromAttributes``. Fix: store them on the identity and return them (MailFromDomainStatus SUCCESS).
3. ``Create/Get/Update/DeleteConfigurationSetEventDestination(s)`` (SES v2 REST paths) are not implemented.
   Fix: keep event destinations per configuration set, answering NotFoundException as SES v2 does.
4. ``GetConfigurationSet`` answers ``SendingOptions: {"SendingEnabled": <the request's dict>}`` instead of a
   boolean, which the Go SDK cannot deserialize. Fix: a boolean.
5. DkimAttributes.LastKeyGenerationTimestamp is an ISO string; the SES v2 JSON protocol (and the Go SDK)
   wants epoch seconds ("expected Timestamp to be a JSON Number, got string instead"). Fix: a number.
6. moto's server routes only the sesv2 paths listed in moto/sesv2/urls.py; `.../mail-from` and
   `.../event-destinations[/<name>]` answer 404 (HTML). Fix: route them to the SES v2 handler.
7. CreateEmailIdentity tags ``arn:...:email-identity/<name>``, but the identity ARN (and what the provider
   asks ListTagsForResource about) is ``arn:...:identity/<name>``: the tags read back empty and every plan
   re-adds them. Fix: tag the real ARN too.
8. GetConfigurationSet answers empty ``TrackingOptions``/``DeliveryOptions``/``VdmOptions`` objects where
   SES omits what was never set, so the provider reads blocks the configuration never had and plans to
   remove them in every plan. Fix: leave empty options out.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from typing import Any
from urllib.parse import unquote

from moto.ses import models as ses_models
from moto.ses.exceptions import NotFoundException
from moto.sesv2 import responses, urls

Response = responses.SESV2Response
EmailIdentity = ses_models.EmailIdentity
ConfigurationSet = ses_models.ConfigurationSet


def require(owner: object, name: str) -> None:
    if not hasattr(owner, name):
        raise AttributeError(f"{getattr(owner, '__name__', owner)!s}.{name} not found")


def _tokens(domain: str) -> list[str]:
    return [hashlib.sha256(f"{domain}#{i}".encode()).hexdigest()[:32] for i in range(3)]


def _patch_dkim_tokens() -> None:
    require(EmailIdentity, "__init__")
    original = EmailIdentity.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        attrs = self.dkim_signing_attributes if isinstance(self.dkim_signing_attributes, dict) else {}
        if self.identity_type == "DOMAIN" and "DomainSigningPrivateKey" not in attrs:
            length = attrs.get("NextSigningKeyLength", "RSA_1024_BIT")
            self.dkim_attributes.update(
                {
                    "SigningEnabled": True,
                    "Status": "SUCCESS",
                    "Tokens": _tokens(self.email_identity),
                    "SigningAttributesOrigin": "AWS_SES",
                    "CurrentSigningKeyLength": length,
                    "NextSigningKeyLength": length,
                }
            )
        if "LastKeyGenerationTimestamp" in self.dkim_attributes:
            self.dkim_attributes["LastKeyGenerationTimestamp"] = time.time()
        self.mail_from_attributes = None

    EmailIdentity.__init__ = __init__  # type: ignore[method-assign]

    prop = EmailIdentity.__dict__.get("get_response_object")
    if not isinstance(prop, property):
        raise AttributeError("EmailIdentity.get_response_object is no longer a property")

    def get_response_object(self: Any) -> dict[str, Any]:
        out = prop.fget(self)  # type: ignore[misc]
        if getattr(self, "mail_from_attributes", None):
            out["MailFromAttributes"] = self.mail_from_attributes
        return out

    EmailIdentity.get_response_object = property(get_response_object)  # type: ignore[assignment]


def _identity(response: Any) -> Any:
    m = re.search(r"/v2/email/identities/([^/]+)/", response.path)
    name = unquote(m.group(1)) if m else ""
    return response.sesv2_backend.get_email_identity(name)


def put_email_identity_mail_from_attributes(self: Any) -> str:
    identity = _identity(self)
    body = json.loads(self.body or "{}")
    domain = body.get("MailFromDomain")
    identity.mail_from_attributes = (
        {
            "MailFromDomain": domain,
            "MailFromDomainStatus": "SUCCESS",
            "BehaviorOnMxFailure": body.get("BehaviorOnMxFailure", "USE_DEFAULT_VALUE"),
        }
        if domain
        else None
    )
    return json.dumps({})


def _config_set_path(response: Any) -> tuple[Any, str | None]:
    m = re.search(r"/v2/email/configuration-sets/([^/]+)/event-destinations(?:/([^/]+))?", response.path)
    if not m:
        raise NotFoundException("configuration set not found")
    name = unquote(m.group(1))
    config_set = response.sesv2_backend.core_backend.config_sets.get(name)
    if config_set is None:
        raise NotFoundException(f"Configuration set <{name}> does not exist.")
    if not hasattr(config_set, "v2_event_destinations"):
        config_set.v2_event_destinations = {}
    return config_set, (unquote(m.group(2)) if m.group(2) else None)


def create_configuration_set_event_destination(self: Any) -> str:
    config_set, _ = _config_set_path(self)
    body = json.loads(self.body or "{}")
    name = body["EventDestinationName"]
    config_set.v2_event_destinations[name] = {"Name": name, **body.get("EventDestination", {})}
    return json.dumps({})


def get_configuration_set_event_destinations(self: Any) -> str:
    config_set, _ = _config_set_path(self)
    return json.dumps({"EventDestinations": list(config_set.v2_event_destinations.values())})


def update_configuration_set_event_destination(self: Any) -> str:
    config_set, name = _config_set_path(self)
    if name not in config_set.v2_event_destinations:
        raise NotFoundException(f"Event destination <{name}> does not exist.")
    body = json.loads(self.body or "{}")
    config_set.v2_event_destinations[name] = {"Name": name, **body.get("EventDestination", {})}
    return json.dumps({})


def delete_configuration_set_event_destination(self: Any) -> str:
    config_set, name = _config_set_path(self)
    if config_set.v2_event_destinations.pop(name, None) is None:
        raise NotFoundException(f"Event destination <{name}> does not exist.")
    return json.dumps({})


def _patch_sending_options() -> None:
    require(ConfigurationSet, "to_dict_v2")
    original = ConfigurationSet.to_dict_v2

    def to_dict_v2(self: Any) -> dict[str, Any]:
        out = original(self)
        enabled = self.enabled.get("SendingEnabled", True) if isinstance(self.enabled, dict) else bool(self.enabled)
        out["SendingOptions"] = {"SendingEnabled": enabled}
        for key in ("TrackingOptions", "DeliveryOptions", "VdmOptions", "SuppressionOptions", "ReputationOptions"):
            if not out.get(key):
                out.pop(key, None)
        return out

    ConfigurationSet.to_dict_v2 = to_dict_v2  # type: ignore[method-assign]


ROUTES = (
    "{0}/v2/email/identities/(?P<EmailIdentity>[^/]+)/mail-from$",
    "{0}/v2/email/configuration-sets/(?P<ConfigurationSetName>[^/]+)/event-destinations$",
    "{0}/v2/email/configuration-sets/(?P<ConfigurationSetName>[^/]+)/event-destinations/(?P<EventDestinationName>[^/]+)$",
)


def _patch_identity_tags() -> None:
    from moto.sesv2 import models
    from moto.ses.utils import get_arn

    require(models.SESV2Backend, "create_email_identity")
    original = models.SESV2Backend.create_email_identity

    def create_email_identity(self: Any, email_identity: str, tags: Any, *args: Any, **kwargs: Any) -> Any:
        identity = original(self, email_identity, tags, *args, **kwargs)
        if tags:
            self.core_backend.tagger.tag_resource(arn=get_arn(self, "ses", f"identity/{email_identity}"), tags=tags)
        return identity

    models.SESV2Backend.create_email_identity = create_email_identity  # type: ignore[method-assign]


def apply() -> list[str]:
    for name in ("sesv2_backend", "get_email_identity"):
        require(Response, name)
    require(urls, "url_paths")
    for route in ROUTES:
        urls.url_paths[route] = Response.dispatch
    _patch_dkim_tokens()
    Response.put_email_identity_mail_from_attributes = put_email_identity_mail_from_attributes  # type: ignore[attr-defined]
    Response.create_configuration_set_event_destination = create_configuration_set_event_destination  # type: ignore[attr-defined]
    Response.get_configuration_set_event_destinations = get_configuration_set_event_destinations  # type: ignore[attr-defined]
    Response.update_configuration_set_event_destination = update_configuration_set_event_destination  # type: ignore[attr-defined]
    Response.delete_configuration_set_event_destination = delete_configuration_set_event_destination  # type: ignore[attr-defined]
    _patch_sending_options()
    _patch_identity_tags()
    return ["sesv2.dkim_tokens", "sesv2.mail_from", "sesv2.event_destinations", "sesv2.configuration_set_shape", "sesv2.identity_tags"]
