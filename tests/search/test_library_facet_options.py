from search.services import Facet, FacetValue
from search.templatetags.library_tags import facet_options


def test_facet_checkboxes_are_escaped_numbered_and_checked_as_chosen():
    facet = Facet(
        key="tema",
        label="Tema",
        values=[
            FacetValue(value="1", label="Børn & <unge>", count=3, selected=False),
            FacetValue(value='2"', label="Ældre", count=1, selected=True),
        ],
    )
    html = facet_options(facet)
    assert (
        '<input type="checkbox" name="tema" value="1" id="facet-tema-1">'
        ' <label for="facet-tema-1">Børn &amp; &lt;unge&gt; <span class="facet__count">(3)</span>'
    ) in html
    assert 'value="2&quot;" id="facet-tema-2" checked>' in html
