from shopcopilot.merchant.attributes import OcrLine, extract_attributes


def test_attributes_from_label_text():
    lines = [
        OcrLine("TRAILMAX", 0.99, 60),
        OcrLine("Model TM-200", 0.95, 18),
        OcrLine("100% Cotton", 0.97, 20),
        OcrLine("XL", 0.9, 22),
        OcrLine("1200W 220V", 0.9, 14),
    ]
    attrs = extract_attributes(lines)
    assert attrs.brand == "TRAILMAX"
    assert attrs.model == "TM-200"
    assert attrs.material == "cotton"
    assert attrs.sizes == ["XL"]
    assert attrs.specs["power"] == "1200W" and attrs.specs["voltage"] == "220V"
    assert "TRAILMAX" in attrs.evidence["brand"] and "Cotton" in attrs.evidence["material"]


def test_capacity_and_chinese_material():
    attrs = extract_attributes([OcrLine("不锈钢保温杯", 0.9, 30), OcrLine("500毫升", 0.9, 20)])
    assert attrs.material == "stainless steel"
    assert attrs.capacity == "500ml"


def test_nothing_is_invented_from_no_text():
    attrs = extract_attributes([])
    assert attrs.brand is None and attrs.model is None and attrs.material is None
    assert attrs.to_dict() == {}
