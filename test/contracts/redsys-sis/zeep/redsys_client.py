#!/usr/bin/python3
"""Real third-party SOAP client check for the Redsys SerClsWSEntrada contract: Python zeep loads the WSDL the gateway
serves (the published one, unchanged), pays with DS_MERCHANT_TRANSACTIONTYPE A, refunds part of it with type 3 (both
through trataPeticion, the request and the answer being XML documents inside string elements), then tries a type the
mappings do not answer and the unmapped consultaDCC. Prints one JSON document.

Usage: redsys_client.py WSDL_URL --order O --amount 1250 --refund-amount 250 [--currency 978]
"""
import argparse
import sys
from pathlib import Path
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import zeep
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # test/contracts: the shared zeep helpers
from zeep_common import fault_of, report  # noqa: E402

MERCHANT = "999008881"
TERMINAL = "1"


def dato(order, amount, currency, tx_type):
    fields = [
        ("DS_MERCHANT_AMOUNT", amount), ("DS_MERCHANT_ORDER", order), ("DS_MERCHANT_MERCHANTCODE", MERCHANT),
        ("DS_MERCHANT_CURRENCY", currency), ("DS_MERCHANT_TRANSACTIONTYPE", tx_type), ("DS_MERCHANT_TERMINAL", TERMINAL),
    ]
    inner = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in fields)
    return (f"<REQUEST><DATOSENTRADA>{inner}</DATOSENTRADA><DS_SIGNATUREVERSION>HMAC_SHA256_V1</DS_SIGNATUREVERSION>"
            f"<DS_SIGNATURE>c2lnbmF0dXJl</DS_SIGNATURE></REQUEST>")


def retorno(text):
    """The RETORNOXML document inside trataPeticionReturn, as {CODIGO, <OPERACION fields>}."""
    root = ET.fromstring(text)
    out = {"root": root.tag, "CODIGO": root.findtext("CODIGO")}
    op = root.find("OPERACION")
    if op is not None:
        out.update({child.tag: child.text for child in op})
    return out



def run(args):
    client = zeep.Client(args.wsdl)
    service = client.service
    paid = retorno(service.trataPeticion(datoEntrada=dato(args.order, args.amount, args.currency, "A")))
    refunded = retorno(service.trataPeticion(datoEntrada=dato(args.order, args.refund_amount, args.currency, "3")))
    other_type = fault_of(service.trataPeticion, datoEntrada=dato(args.order, args.amount, args.currency, "9"))
    unmapped = fault_of(service.consultaDCC, datoEntrada="<DATOSENTRADADCC/>")
    address = client.wsdl.services["SerClsWSEntradaService"].ports["SerClsWSEntrada"].binding_options["address"]
    return {"payment": paid, "refund": refunded, "otherType": other_type, "consultaDCC": unmapped, "address": address}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wsdl")
    parser.add_argument("--order", required=True)
    parser.add_argument("--amount", type=int, required=True)
    parser.add_argument("--refund-amount", type=int, required=True)
    parser.add_argument("--currency", default="978")
    report(run, parser.parse_args())


if __name__ == "__main__":
    main()
