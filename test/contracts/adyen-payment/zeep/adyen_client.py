#!/usr/bin/python3
"""Real third-party SOAP client check for the Adyen Payment contract: Python zeep loads the WSDL the gateway serves
(Adyen's own, unchanged), authorises a payment, refunds part of it, and calls an operation no mapping answers.
Prints one JSON document.

Usage: adyen_client.py WSDL_URL --merchant M --reference R --value 1250 --currency USD --refund-value 250
"""
import argparse
import sys
from pathlib import Path

import zeep
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # test/contracts: the shared zeep helpers
from zeep_common import plain, fault_of, report  # noqa: E402





def run(args):
    client = zeep.Client(args.wsdl)
    service = client.service
    payment = {
        "merchantAccount": args.merchant,
        "reference": args.reference,
        "amount": {"currency": args.currency, "value": args.value},
        "shopperEmail": "shopper@example.com",
    }
    authorised = plain(service.authorise(paymentRequest=payment))
    refund = plain(service.refund(modificationRequest={
        "merchantAccount": args.merchant,
        "originalReference": authorised.get("pspReference"),
        "modificationAmount": {"currency": args.currency, "value": args.refund_value},
        "reference": f"{args.reference}-R1",
    }))
    unmapped = fault_of(service.capture, modificationRequest={"merchantAccount": args.merchant, "originalReference": "x"})
    return {"authorise": authorised, "refund": refund, "capture": unmapped, "address": client.wsdl.services["Payment"].ports["PaymentHttpPort"].binding_options["address"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wsdl")
    parser.add_argument("--merchant", required=True)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--value", type=int, required=True)
    parser.add_argument("--currency", default="USD")
    parser.add_argument("--refund-value", type=int, required=True)
    report(run, parser.parse_args())


if __name__ == "__main__":
    main()
