"""The platform's default non-disclosure agreement (保密协议) for confidential listing documents.

The agreement is a legal text, not interface wording: it is not run through gettext (a translation would change
the words accepted). The Chinese text governs; the English one is a reference translation shown beside it. Both
together are what is accepted, and their SHA-256 digest identifies the version: changing a word here makes a new
version, and every organisation accepts again.
"""

import hashlib
from dataclasses import dataclass

DEFAULT_VERSION = "platform-2026-1"

DEFAULT_TEXT_ZH = """保密协议（平台标准文本）

1. 保密信息：指卖方在本挂牌项下标记为“保密”的文件，以及其中包含的技术信息和经营信息。
2. 接受方（即以其名义接受本协议的机构）仅为评估是否受让、许可或投资本挂牌技术之目的使用保密信息，不得用于其他目的。
3. 未经卖方书面同意，接受方不得向任何第三方披露保密信息；为上述目的确需知悉、并负有同等保密义务的员工和顾问除外。
4. 接受方不得对保密信息进行反向工程，不得以保密信息为基础申请专利或其他知识产权。
5. 下列信息不属于保密信息：已为公众所知的信息；接受方在披露前已合法持有的信息；接受方从有权披露的第三方合法获得的信息。
6. 交易未达成或卖方要求时，接受方应删除或销毁保密信息及其全部复制件。
7. 保密义务自接受之日起三年内有效。
8. 本协议适用中华人民共和国法律；因本协议产生的争议，提交卖方所在地有管辖权的人民法院解决。
9. 本协议以中文文本为准，英文文本仅供参考。
   接受方的成员点击“接受”即代表该机构接受本协议，平台记录接受的时间、人员、机构和网络地址。"""

DEFAULT_TEXT_EN = """Non-disclosure agreement (the platform's standard text)

1. Confidential information: the documents the seller marks "confidential" on this listing, and the technical and
   business information they contain.
2. The recipient (the organisation on whose behalf this agreement is accepted) uses the confidential information
   only to evaluate whether to acquire, license or invest in the listed technology, and for no other purpose.
3. Without the seller's written consent the recipient discloses the confidential information to no third party,
   except employees and advisers who need it for that purpose and are bound by equal duties of confidentiality.
4. The recipient does not reverse-engineer the confidential information, nor apply for a patent or other
   intellectual property right based on it.
5. Not confidential: information that is public; information the recipient lawfully held before disclosure;
   information the recipient lawfully received from a third party entitled to disclose it.
6. If no transaction is concluded, or when the seller asks, the recipient deletes or destroys the confidential
   information and all copies of it.
7. The duties of confidentiality last three years from acceptance.
8. The law of the People's Republic of China governs this agreement; disputes go to the competent people's court
   where the seller is located.
9. The Chinese text governs; this English text is for reference. A member clicking "accept" accepts this agreement
   on behalf of the organisation; the platform records the time, the person, the organisation and the address."""


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class NdaText:
    """The NDA a listing asks for right now: the words, their version label and digest."""

    version: str
    text: str  # what is accepted (for the default: the Chinese text, then the English one)
    text_en: str  # the reference translation shown to English readers ("" for a seller's own text)
    sha256: str
    is_default: bool

    @property
    def words(self) -> str:
        """The words the digest covers and an acceptance keeps."""
        return f"{self.text}\n\n{self.text_en}" if self.text_en else self.text


def default_nda() -> NdaText:
    words = f"{DEFAULT_TEXT_ZH}\n\n{DEFAULT_TEXT_EN}"
    return NdaText(DEFAULT_VERSION, DEFAULT_TEXT_ZH, DEFAULT_TEXT_EN, digest(words), is_default=True)


def seller_nda(version: int, text: str) -> NdaText:
    return NdaText(f"v{version}", text, "", digest(text), is_default=False)
