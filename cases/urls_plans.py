"""Pages for plans on a young person's record, under /young-people/<young_person_pk>/."""

urlpatterns: list = []
