"""Shoppers, carts, coupons, orders and the store's order operations with their policy."""
