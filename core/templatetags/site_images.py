"""Wagtail's image tags, with ``{% image %}`` reading a cached rendition without writing it back.

The site's templates ``{% load site_images %}`` instead of ``wagtailimages_tags``. Wagtail's
own ``{% image %}`` parses its filter spec again on every render and, for a rendition it just
read from the cache, writes the same rendition back to the cache: on a page of cards those two
cost more than the rest of the tag. Here the filter is parsed once per template, and a
rendition found in the cache is used as it is. Everything else (prefetched renditions, the
database, creating a missing rendition, a missing source file) is Wagtail's ``get_rendition``.
"""

from __future__ import annotations

from django import template
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.images.templatetags import wagtailimages_tags as wagtail_tags

register = template.Library()
register.tags.update(wagtail_tags.register.tags)
register.filters.update(wagtail_tags.register.filters)


def cached_rendition(image, filter):
    """The rendition from the rendition cache, or None (then ``get_rendition`` decides)."""
    if image._get_prefetched_renditions() is not None:
        return None  # Wagtail looks in the prefetched ones first
    filter = image.clean_filter_for_svg(filter)
    rendition_model = image.get_rendition_model()
    key = rendition_model.construct_cache_key(image, filter.get_cache_key(image), filter.spec)
    rendition = rendition_model.cache_backend.get(key)
    if rendition is not None:
        rendition.image = image  # as Wagtail does: the image's own alt text and so on
    return rendition


class ImageNode(wagtail_tags.ImageNode):
    def get_filter(self):
        # Parsed once per template node; a Filter holds nothing of the images it is used on.
        try:
            return self._filter
        except AttributeError:
            self._filter = super().get_filter()
            return self._filter

    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        filter = self.get_filter()
        rendition = cached_rendition(image, filter) or get_rendition_or_not_found(image, filter)
        if self.output_var_name:
            context[self.output_var_name] = rendition
            return ""
        return rendition.img_tag({key: value.resolve(context) for key, value in self.attrs.items()})


@register.tag("image")
def image(parser, token):
    node = wagtail_tags.image(parser, token)
    if type(node) is not wagtail_tags.ImageNode:  # srcset_image and picture stay Wagtail's
        return node
    return ImageNode(
        node.image_expr, node.filter_specs, output_var_name=node.output_var_name, attrs=node.attrs
    )
