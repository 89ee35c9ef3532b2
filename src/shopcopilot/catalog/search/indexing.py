"""Keeping `search_documents` in step with the catalog: build documents for products, write the changed ones."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session, selectinload

from shopcopilot.catalog.models import Category, Product, Variant
from shopcopilot.catalog.search.documents import ProductDocument, build_document
from shopcopilot.catalog.search.models import SearchDocument
from shopcopilot.catalog.search.vocabulary import Vocabulary

BATCH = 500
SMALL_CATALOG_NAMES = 5000  # below this many products, product names join the parser's vocabulary

_docs = SearchDocument.__table__


def chunks(items: Sequence[str], size: int = BATCH) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def all_product_ids(session: Session) -> list[str]:
    return list(session.scalars(select(Product.id).order_by(Product.id)))


def build_documents(session: Session, product_ids: Sequence[str]) -> tuple[list[ProductDocument], list[str]]:
    """Documents for the products that exist, and the ids that do not (their documents must go)."""
    products = session.scalars(
        select(Product)
        .where(Product.id.in_(product_ids))
        .options(
            selectinload(Product.variants), selectinload(Product.content), selectinload(Product.category)
        )
    ).all()
    found = {product.id for product in products}
    documents = [build_document(product, product.category) for product in products]
    return documents, [pid for pid in product_ids if pid not in found]


def write_documents(session: Session, documents: Sequence[ProductDocument]) -> list[ProductDocument]:
    """Insert new documents, update changed ones; return those that changed."""
    if not documents:
        return []
    existing = dict(
        session.execute(
            select(_docs.c.product_id, _docs.c.content_hash).where(
                _docs.c.product_id.in_([doc.product_id for doc in documents])
            )
        ).all()
    )
    new = [doc for doc in documents if doc.product_id not in existing]
    changed = [
        doc
        for doc in documents
        if doc.product_id in existing and existing[doc.product_id] != doc.content_hash
    ]
    fields = ("merchant_id", "category_id", "body", "passage", "content_hash")
    if new:
        session.execute(
            insert(_docs), [{"product_id": d.product_id, **{f: getattr(d, f) for f in fields}} for d in new]
        )
    if changed:
        session.execute(
            update(_docs)
            .where(_docs.c.product_id == bindparam("pid"))
            .values({f: bindparam(f) for f in fields}),
            [{"pid": d.product_id, **{f: getattr(d, f) for f in fields}} for d in changed],
        )
    return new + changed


def delete_documents(session: Session, product_ids: Iterable[str]) -> None:
    ids = list(product_ids)
    for chunk in chunks(ids):
        session.execute(delete(_docs).where(_docs.c.product_id.in_(chunk)))


def document_hashes(session: Session) -> dict[str, str]:
    return dict(session.execute(select(_docs.c.product_id, _docs.c.content_hash)).all())


def passages(session: Session, product_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """product id -> (content hash, passage)."""
    out: dict[str, tuple[str, str]] = {}
    for chunk in chunks(product_ids):
        rows = session.execute(
            select(_docs.c.product_id, _docs.c.content_hash, _docs.c.passage).where(
                _docs.c.product_id.in_(chunk)
            )
        )
        out.update({pid: (digest, passage) for pid, digest, passage in rows})
    return out


def load_vocabulary(session: Session) -> Vocabulary:
    options = session.execute(select(Variant.options)).scalars()
    categories = session.execute(select(Category.id, Category.name, Category.name_zh)).all()
    names: list[str] = []
    if (session.scalar(select(Product.id).offset(SMALL_CATALOG_NAMES).limit(1))) is None:
        names = list(session.scalars(select(Product.name).distinct()))
    return Vocabulary.from_rows(options, categories, names)
