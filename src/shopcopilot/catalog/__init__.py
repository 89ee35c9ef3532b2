"""Products (SPU), variants (SKU), categories, merchants, product content, reviews and search."""
