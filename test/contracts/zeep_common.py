"""What every third-party contract's zeep client shares: plain JSON of zeep objects, the gateway's fault code, and
one JSON document on stdout (an exception is reported in it, never as a traceback the test would have to parse)."""
import json
import sys

from zeep.exceptions import Fault
from zeep.helpers import serialize_object

GW_FAULT_NS = "urn:sensepass-gateway:fault:1"


def plain(value):
    return json.loads(json.dumps(serialize_object(value), default=str))


def fault_of(fn, **kwargs):
    """The SOAP fault a call gets (its code, message and the gateway's catalogue code), or faultCode None."""
    try:
        fn(**kwargs)
    except Fault as fault:
        detail = fault.detail
        code = detail.findtext(f".//{{{GW_FAULT_NS}}}code") if detail is not None else None
        return {"faultCode": str(fault.code), "message": fault.message, "gwCode": code}
    return {"faultCode": None}


def report(run, args):
    try:
        out = run(args)
    except Exception as err:  # reported, never a traceback on stdout
        out = {"error": f"{type(err).__name__}: {err}"}
    json.dump(out, sys.stdout)
