"""Everything that changes a product's money (see ``products.money``)."""
