"""Files shaped exactly like Taobao/Tmall's seller order report (订单报表, ExportOrderList….csv):
the header public tools read and write, in its column order, one row per order, order numbers
written ``="…"`` so spreadsheets keep every digit, GBK-encoded as the seller centre writes it."""

import csv
import io

HEADER = (
    "订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,买家支付积分,总金额,返点积分,"
    "买家实际支付金额,买家实际支付积分,订单状态,买家留言,收货人姓名,收货地址,运送方式,联系电话,"
    "联系手机,订单创建时间,订单付款时间,宝贝标题,宝贝种类,物流单号,物流公司,订单备注,宝贝总数量,"
    "店铺Id,店铺名称,订单关闭原因,卖家服务费,买家服务费,发票抬头,是否手机订单,分阶段订单信息,"
    "特权订金订单id,定金排名,修改后的sku,修改后的收货地址,异常信息,天猫卡券抵扣,集分宝抵扣,"
    "是否是O2O交易"
).split(",")

SUCCESS = "交易成功"
SHIPPED = "卖家已发货，等待买家确认"
PAID = "买家已付款，等待卖家发货"
UNPAID = "等待买家付款"
CLOSED = "交易关闭"


def _cents(text: str) -> int:
    whole, _, fraction = text.partition(".")
    return int(whole) * 100 + int(fraction or 0)


def _yuan(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def order_row(
    number, *, status=SUCCESS, goods="100.00", postage="0.00", paid=None, fee="0.00",
    quantity=1, paid_at="2026-01-05 10:15:00", closed_because="",
):  # fmt: skip
    """One order as the report writes it; ``paid`` (买家实际支付金额) is goods + postage unless
    given; ``paid_at=""`` for an order never paid."""
    total = _yuan(_cents(goods) + _cents(postage))
    row = dict.fromkeys(HEADER, "")
    row.update({
        "订单编号": f'="{number}"', "买家会员名": "tb_buyer_7", "买家支付宝账号": "**",
        "买家应付货款": goods, "买家应付邮费": postage, "买家支付积分": "0", "总金额": total,
        "返点积分": "0", "买家实际支付金额": total if paid is None else paid,
        "买家实际支付积分": "0", "订单状态": status, "收货人姓名": "王小明",
        "收货地址": "浙江省 杭州市 西湖区 文三路 100号(310000)", "运送方式": "快递",
        "联系手机": "'13800000000", "订单创建时间": paid_at or "2026-01-05 10:14:02",
        "订单付款时间": paid_at, "宝贝标题": "台灯", "宝贝种类": "1",
        "物流单号": "No:SF1234567890" if status in (SUCCESS, SHIPPED) else "",
        "物流公司": "顺丰速运" if status in (SUCCESS, SHIPPED) else "", "宝贝总数量": str(quantity),
        "店铺Id": "0", "店铺名称": "灯具小店", "订单关闭原因": closed_because,
        "卖家服务费": fee, "买家服务费": "0.00", "是否手机订单": "手机订单",
        "天猫卡券抵扣": "", "集分宝抵扣": "0.00", "是否是O2O交易": "",
    })  # fmt: skip
    return row


def taobao_file(*rows, encoding: str = "gbk") -> bytes:
    """The report's bytes: the order number cell written raw (``="…"``), the rest as CSV."""
    out = io.StringIO()
    out.write(",".join(HEADER) + "\r\n")
    rest = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        out.write(row["订单编号"] + ",")
        rest.writerow([row[column] for column in HEADER[1:]])
    return out.getvalue().encode(encoding)
