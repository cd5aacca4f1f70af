#!/usr/bin/python3
"""Real third-party SOAP client check: Python zeep loads the served Acme POS WSDL and calls Sale, Refund and
GetTransactionStatus over the SOAP 1.1 and the SOAP 1.2 port, printing one JSON document with the results.

Usage: acme_pos_client.py WSDL_URL [--receipt-prefix P] [--terminal T] [--amount 12.50] [--currency USD]
                          [--refund-amount 2.50] [--fault-receipt R] [--expect Path=Value ...]
  --expect soap11.Sale.Result=APPROVED   compare a printed field (dotted path); exit status 1 when any differs.
  --fault-receipt R                      also call GetTransactionStatus for receipt R and report the SOAP fault.
"""
import argparse
import json
import sys
from decimal import Decimal

import zeep
from zeep.exceptions import Fault
from zeep.helpers import serialize_object
from zeep.plugins import HistoryPlugin

GW_FAULT_NS = "urn:sensepass-gateway:fault:1"
BINDINGS = {"soap11": "AcmePaymentSoap", "soap12": "AcmePaymentSoap12"}


def plain(value):
    """zeep objects → JSON-friendly values (Decimal as its exact string)."""
    return json.loads(json.dumps(serialize_object(value), default=str))


def call(service, history, name, **kwargs):
    result = plain(getattr(service, name)(**kwargs))
    headers = history.last_sent["http_headers"] if history.last_sent else {}
    result["_contentType"] = headers.get("Content-Type", "")
    result["_soapAction"] = headers.get("SOAPAction", "")
    return result


def fault_of(service, name, **kwargs):
    try:
        getattr(service, name)(**kwargs)
    except Fault as fault:
        detail = fault.detail
        code = detail.findtext(f".//{{{GW_FAULT_NS}}}code") if detail is not None else None
        request_id = detail.findtext(f".//{{{GW_FAULT_NS}}}requestId") if detail is not None else None
        return {"faultCode": str(fault.code), "message": fault.message, "gwCode": code, "requestId": request_id}
    return {"faultCode": None}


def run(args):
    history = HistoryPlugin()
    client = zeep.Client(args.wsdl, plugins=[history])
    out = {"operations": sorted(client.wsdl.bindings[next(iter(client.wsdl.bindings))]._operations.keys())}
    for label, port in BINDINGS.items():
        service = client.bind("AcmePaymentService", port)
        receipt = f"{args.receipt_prefix}-{label}"
        items = {"Item": [{"Sku": "0042", "Name": "Espresso", "Quantity": 2, "UnitPrice": Decimal(args.amount) / 2}]}
        results = {
            "Sale": call(service, history, "Sale", TerminalId=args.terminal, ReceiptNo=receipt,
                         Amount=Decimal(args.amount), Currency=args.currency, Items=items),
            "GetTransactionStatus": call(service, history, "GetTransactionStatus", TerminalId=args.terminal,
                                         ReceiptNo=receipt),
            "Refund": call(service, history, "Refund", TerminalId=args.terminal, ReceiptNo=f"{receipt}-refund",
                           OriginalReceiptNo=receipt, Amount=Decimal(args.refund_amount)),
        }
        if args.fault_receipt:
            results["Fault"] = fault_of(service, "GetTransactionStatus", TerminalId=args.terminal,
                                        ReceiptNo=args.fault_receipt)
        out[label] = results
    return out


def lookup(doc, path):
    for part in path.split("."):
        if not isinstance(doc, dict) or part not in doc:
            return None
        doc = doc[part]
    return doc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wsdl")
    parser.add_argument("--receipt-prefix", default="ZEEP")
    parser.add_argument("--terminal", default="0042")
    parser.add_argument("--amount", default="12.50")
    parser.add_argument("--refund-amount", default="2.50")
    parser.add_argument("--currency", default="USD")
    parser.add_argument("--fault-receipt", default="")
    parser.add_argument("--expect", action="append", default=[])
    args = parser.parse_args()
    try:
        out = run(args)
    except Exception as err:  # report, never a traceback on stdout
        print(json.dumps({"error": f"{type(err).__name__}: {err}"}))
        return 2
    mismatches = []
    for expectation in args.expect:
        path, _, expected = expectation.partition("=")
        actual = lookup(out, path)
        if str(actual) != expected:
            mismatches.append({"path": path, "expected": expected, "actual": actual})
    out["mismatches"] = mismatches
    print(json.dumps(out, indent=1, sort_keys=True))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
