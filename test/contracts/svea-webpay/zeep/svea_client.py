#!/usr/bin/python3
"""Real third-party SOAP client check for Svea WebPay's SveaWebPay.asmx contract: Python zeep loads the WSDL the
gateway serves (Svea's own, unchanged), creates an invoice order with CreateOrderEu carrying the Svea user and
password in the body (request/Auth), tries the same with a wrong password, cancels the order with CloseOrderEu and
calls the unmapped Ping. Prints one JSON document.

Usage: svea_client.py WSDL_URL --user U --password P --order 4711
"""
import argparse
import json
import sys
from decimal import Decimal

import zeep
from zeep.exceptions import Fault
from zeep.helpers import serialize_object

GW_FAULT_NS = "urn:sensepass-gateway:fault:1"
CLIENT_NUMBER = 79021


def auth(user, password):
    return {"ClientNumber": CLIENT_NUMBER, "Username": user, "Password": password}


def row(article, description, price, units):
    return {
        "ArticleNumber": article, "Description": description, "PricePerUnit": Decimal(price), "PriceIncludingVat": True,
        "NumberOfUnits": Decimal(units), "VatPercent": Decimal("24"), "DiscountPercent": Decimal("0"),
        "DiscountAmount": None, "DiscountAmountIncludingVat": None, "RowType": "Default",
    }


def order_request(user, password, order):
    return {
        "Auth": auth(user, password),
        "CreateOrderInformation": {
            "ClientOrderNumber": order,
            "OrderRows": {"OrderRow": [row("A-1", "Coffee beans", "10.00", "2"), row("B-7", "Filter papers", "5.50", "1")]},
            "CustomerIdentity": {"CountryCode": "FI", "CustomerType": "Individual"},
            "OrderDate": "2026-11-29T10:00:00",
            "OrderType": "Invoice",
        },
    }


def plain(value):
    return json.loads(json.dumps(serialize_object(value), default=str))


def fault_of(fn, **kwargs):
    try:
        fn(**kwargs)
    except Fault as fault:
        detail = fault.detail
        code = detail.findtext(f".//{{{GW_FAULT_NS}}}code") if detail is not None else None
        return {"faultCode": str(fault.code), "gwCode": code}
    return {"faultCode": None}


def run(args):
    client = zeep.Client(args.wsdl)
    service = client.service
    paid = plain(service.CreateOrderEu(request=order_request(args.user, args.password, args.order)))
    wrong = fault_of(service.CreateOrderEu, request=order_request(args.user, "not-" + args.password, str(int(args.order) + 1)))
    closed = plain(service.CloseOrderEu(request={"Auth": auth(args.user, args.password), "CloseOrderInformation": {"SveaOrderId": int(args.order)}}))
    ping = fault_of(service.Ping)
    address = client.wsdl.services["Service"].ports["ServiceSoap"].binding_options["address"]
    return {"payment": paid, "wrongPassword": wrong, "close": closed, "ping": ping, "address": address}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wsdl")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--order", required=True)
    args = parser.parse_args()
    try:
        out = run(args)
    except Exception as err:  # reported, never a traceback on stdout
        out = {"error": f"{type(err).__name__}: {err}"}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
