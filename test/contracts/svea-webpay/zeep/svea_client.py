#!/usr/bin/python3
"""Real third-party SOAP client check for Svea WebPay's SveaWebPay.asmx contract: Python zeep loads the WSDL the
gateway serves (Svea's own, unchanged), creates an invoice order with CreateOrderEu carrying the Svea user and
password in the body (request/Auth), tries the same with a wrong password, cancels the order with CloseOrderEu and
calls the unmapped Ping. Prints one JSON document.

Usage: svea_client.py WSDL_URL --user U --password P --order 4711
"""
import argparse
import sys
from pathlib import Path
from decimal import Decimal

import zeep
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # test/contracts: the shared zeep helpers
from zeep_common import plain, fault_of, report  # noqa: E402

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
    report(run, parser.parse_args())


if __name__ == "__main__":
    main()
