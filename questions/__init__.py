"""Ask the district (问一问): the 一号答 knowledge base, and letters to the district with every one answered on time."""
