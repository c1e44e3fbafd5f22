"""Files shaped exactly like Shopify's orders export: its header as Shopify writes it, one row per
line item, the order's totals on the first row only."""

import csv
import io

HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,"
    "Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
    "Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,"
    "Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,"
    "Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,"
    "Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,"
    "Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,"
    "Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,"
    "Payment ID,Payment Terms Name,Next Payment Due At,Payment References"
).split(",")


def order_rows(
    name, *, day, items, discount="0.00", refunded="0.00", status="paid", currency="EUR",
    shipping="4.90",
):  # fmt: skip
    """``items``: [(quantity, unit price as text)]; the first row carries the order's totals."""
    subtotal = sum(q * int(p.replace(".", "")) for q, p in items) - int(discount.replace(".", ""))
    sub = f"{subtotal // 100}.{subtotal % 100:02d}"
    total = subtotal + int(shipping.replace(".", ""))
    rows = []
    for n, (quantity, price) in enumerate(items):
        row = dict.fromkeys(HEADER, "")
        row.update(
            {
                "Name": name,
                "Email": "buyer@example.com",
                "Lineitem quantity": str(quantity),
                "Lineitem name": f"Lamp {n}",
                "Lineitem price": price,
                "Lineitem requires shipping": "true",
                "Lineitem taxable": "true",
                "Lineitem fulfillment status": "fulfilled",
                "Lineitem discount": "0.00",
            }
        )
        if n == 0:
            row.update({
                "Financial Status": status, "Paid at": f"{day} 10:15:00 +0100",
                "Fulfillment Status": "fulfilled", "Accepts Marketing": "no",
                "Currency": currency, "Subtotal": sub, "Shipping": shipping, "Taxes": "0.00",
                "Total": f"{total // 100}.{total % 100:02d}", "Discount Amount": discount,
                "Shipping Method": "Standard", "Created at": f"{day} 10:14:00 +0100",
                "Payment Method": "Shopify Payments", "Refunded Amount": refunded,
                "Outstanding Balance": "0.00", "Id": "5550000001", "Risk Level": "Low",
                "Source": "web",
            })  # fmt: skip
        rows.append(row)
    return rows


def shopify_file(*orders) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    for rows in orders:
        writer.writerows(rows)
    return out.getvalue().encode()
