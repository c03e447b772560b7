-- Item values the items table has no column for (src/runtime/members/item-extras-store.ts): recurrence pattern,
-- enhanced locations, sensitivity label, delayed-delivery time. One jsonb document per item; deleted with the item.

CREATE TABLE item_extras (
  item_id text PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
  data jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
);
