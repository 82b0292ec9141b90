from django.urls import path

from govhall.workbench.catalog import bundles, form_fields, standard_list, views

# URL names are joined into the "workbench" namespace by workbench/urls.py.
urlpatterns: list = [
    path("items/", views.item_list, name="items"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/publish/", views.item_publish, name="item_publish"),
    path("items/<int:item_id>/unpublish/", views.item_unpublish, name="item_unpublish"),
    path("items/<int:item_id>/materials/", views.material_add, name="material_add"),
    path("items/<int:item_id>/fees/", views.fee_add, name="fee_add"),
    path("items/<int:item_id>/windows/", views.item_window_set, name="item_window_set"),
    path("items/<int:item_id>/joint-days/", views.item_joint_days, name="item_joint_days"),
    path("materials/<int:material_id>/edit/", views.material_edit, name="material_edit"),
    path("materials/<int:material_id>/remove/", views.material_remove, name="material_remove"),
    path("materials/<int:material_id>/move/", views.material_move, name="material_move"),
    path("materials/<int:material_id>/files/", views.material_files, name="material_files"),
    path(
        "materials/<int:material_id>/files/<slug:slot>/",
        views.material_file_download,
        name="material_file",
    ),
    # The online application form of an item (issue 19 item 2).
    path("items/<int:item_id>/form-fields/", form_fields.form_field_add, name="form_field_add"),
    path("form-fields/<int:field_id>/edit/", form_fields.form_field_edit, name="form_field_edit"),
    path(
        "form-fields/<int:field_id>/remove/",
        form_fields.form_field_remove,
        name="form_field_remove",
    ),
    path("form-fields/<int:field_id>/move/", form_fields.form_field_move, name="form_field_move"),
    path("fees/<int:fee_id>/edit/", views.fee_edit, name="fee_edit"),
    path("fees/<int:fee_id>/remove/", views.fee_remove, name="fee_remove"),
    path(
        "item-windows/<int:item_window_id>/remove/",
        views.item_window_remove,
        name="item_window_remove",
    ),
    # 一件事 bundles (issue 19 item 5).
    path("bundles/", bundles.bundle_list, name="bundles"),
    path("bundles/new/", bundles.bundle_new, name="bundle_new"),
    path("bundles/<int:bundle_id>/", bundles.bundle_edit, name="bundle_edit"),
    path("bundles/<int:bundle_id>/publish/", bundles.bundle_toggle, name="bundle_toggle"),
    # One item list across levels (issue 21 item 5).
    path("standard/", standard_list.standard_list, name="standard_list"),
    path(
        "standard/adopt/<int:center_id>/",
        standard_list.standard_adopt_page,
        name="standard_adopt",
    ),
    path("standard/items/<int:item_id>/", standard_list.standard_compare, name="standard_compare"),
    path(
        "standard/items/<int:item_id>/restore/<int:material_id>/",
        standard_list.standard_restore,
        name="standard_restore",
    ),
    path(
        "standard/reviews/<int:review_id>/<slug:action>/",
        standard_list.standard_review,
        name="standard_review",
    ),
    path("catalog/import/", views.catalog_import, name="catalog_import"),
    path("catalog/export/", views.catalog_export, name="catalog_export"),
    path("catalog/export/files/", views.catalog_export_files, name="catalog_export_files"),
]
