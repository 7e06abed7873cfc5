"""The one CSV sniffer: encodings and separators of the files people and CBS make."""

import pytest

from compass.csv_sniff import decode, sniff_delimiter


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"indicator;waarde\n", "indicator;waarde\n", "utf-8"),
        ("\ufeffIJsselstein;é\n".encode(), "IJsselstein;é\n", "utf-8"),  # BOM dropped
        ("Súdwest-Fryslân;1\n".encode("cp1252"), "Súdwest-Fryslân;1\n", "cp1252"),
    ],
)
def test_decode_reads_utf8_with_or_without_bom_and_windows_1252(data, text, encoding):
    assert decode(data) == (text, encoding)


def test_decode_refuses_bytes_that_are_no_text_in_either_encoding():
    with pytest.raises(UnicodeDecodeError):
        decode(b"\xff\x81\x8d")  # invalid UTF-8; 0x81 and 0x8d are undefined in cp1252


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("indicator;periode;waarde\n1;2;3", ";"),
        ("indicator,periode,waarde\n1,2,3", ","),
        ("indicator\tperiode\twaarde\n", "\t"),
        ("\n  \nindicator;periode\n", ";"),  # blank lines before the header are skipped
        ("Naam, met komma;Code;Provincie\n", ";"),  # the most frequent one wins
        ("a;b,c\n", ";"),  # a tie goes to ;
        ("alleen één kolom\n", None),
        ("", None),
    ],
)
def test_sniff_delimiter_takes_the_separator_of_the_header(text, expected):
    assert sniff_delimiter(text) == expected


def test_sniff_delimiter_only_considers_the_given_candidates():
    assert sniff_delimiter("a;b;c,d\n", candidates=(",",)) == ","
    assert sniff_delimiter("a;b;c\n", candidates=(",",)) is None
