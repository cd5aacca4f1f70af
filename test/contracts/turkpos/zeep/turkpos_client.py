#!/usr/bin/python3
"""Real third-party SOAP client check for the TurkPos (ParamPOS) service_turkpos_test.asmx contract: Python zeep loads
the WSDL the gateway serves (Param's, unchanged), pays with TP_Islem_Odeme carrying the Param user and password in the
body (G), tries the same with a wrong password, refunds with TP_Islem_Iptal_Iade, then reads the sale back with
TP_Islem_Sorgulama, whose answer is a .NET DataTable (a diffgram). Prints one JSON document.

Usage: turkpos_client.py WSDL_URL --user U --password P --order 20261129 --amount 12,50
"""
import argparse
import sys
from pathlib import Path

import zeep
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # test/contracts: the shared zeep helpers
from zeep_common import fault_of, report  # noqa: E402

CLIENT_CODE = "10738"
GUID = "0c13d406-873b-403b-9c09-a5766840d98c"


def guvenlik(user, password):
    return {"CLIENT_CODE": CLIENT_CODE, "CLIENT_USERNAME": user, "CLIENT_PASSWORD": password}



def sale(service, user, password, order, amount):
    return service.TP_Islem_Odeme(
        G=guvenlik(user, password), SanalPOS_ID=1029, GUID=GUID, Siparis_ID=order, Siparis_Aciklama="Kahve",
        Taksit=1, Islem_Tutar=amount, Toplam_Tutar=amount, IPAdr="127.0.0.1")


def data_table(result):
    """The rows of a DT_Bilgi DataTable: every element under diffgram/NewDataSet, as {column: text}."""
    rows = []
    for node in result.DT_Bilgi._value_1 if result.DT_Bilgi is not None else []:
        for table in node.iter("NewDataSet"):
            rows.extend({col.tag: col.text for col in row} for row in table)
    return rows


def run(args):
    client = zeep.Client(args.wsdl)
    service = client.service
    paid = sale(service, args.user, args.password, args.order, args.amount)
    wrong = fault_of(sale, service=service, user=args.user, password="not-" + args.password, order=str(int(args.order) + 1), amount=args.amount)
    refunded = service.TP_Islem_Iptal_Iade(G=guvenlik(args.user, args.password), GUID=GUID, Durum="IADE", Dekont_ID=str(paid.Islem_ID))
    query = service.TP_Islem_Sorgulama(G=guvenlik(args.user, args.password), GUID=GUID, Siparis_ID=args.order)
    address = client.wsdl.services["TurkPos_x0020_WS_x0020_TEST"].ports["TurkPos_x0020_WS_x0020_TESTSoap"].binding_options["address"]
    return {
        "payment": {"Islem_ID": paid.Islem_ID, "Sonuc": paid.Sonuc, "Sonuc_Str": paid.Sonuc_Str, "UCD_URL": paid.UCD_URL},
        "wrongPassword": wrong,
        "refund": {"Sonuc": refunded.Sonuc, "Sonuc_Str": refunded.Sonuc_Str},
        "query": {"Sonuc": query.Sonuc, "rows": data_table(query)},
        "address": address,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wsdl")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--order", required=True)
    parser.add_argument("--amount", required=True)
    report(run, parser.parse_args())


if __name__ == "__main__":
    main()
