import pytest

from pipeline.errors import EmptyInput, InputNotFound, NotText, UnsupportedInput
from pipeline.ingest import decode_source, read_source

PLAN = "专栏1 商业秘密保护工程\n\n健全商业秘密保护政策。（市场监管总局负责）\n"


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16"])
def test_chinese_encodings_decode_to_the_same_text(encoding):
    source = decode_source("x.txt", PLAN.encode(encoding))
    assert source.text == PLAN
    assert source.encoding in (encoding, "gb18030", "utf-16")


def test_crlf_reads_as_lf():
    assert decode_source("x.txt", PLAN.replace("\n", "\r\n").encode()).text == PLAN


@pytest.mark.parametrize(
    "data, error",
    [
        (b"", EmptyInput),
        (b"  \n\n", EmptyInput),
        (bytes(range(256)) * 20, NotText),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), UnsupportedInput),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", UnsupportedInput),
        (b"\xff\xfe\xfa\xfb\xfc\xfd\x00\x01\x02\x03" * 50, NotText),
    ],
)
def test_bad_bytes(data, error):
    with pytest.raises(error):
        decode_source("bad", data)


def test_missing_file(tmp_path):
    with pytest.raises(InputNotFound):
        read_source(tmp_path / "nope.txt")


def test_identity(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN.encode())
    source = read_source(path)
    assert source.name == "plan.txt" and len(source.sha256) == 64
