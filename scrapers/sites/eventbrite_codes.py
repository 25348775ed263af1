"""Eventbrite's category and format codes (v3 API ``category_id`` / ``format_id``) and their names.

API event objects carry only the codes; pages carry the names. The names are Eventbrite's own
(``/v3/categories/`` and ``/v3/formats/``); those seen in the saved organiser page fixture agree.

>>> CATEGORIES["119"], FORMATS["14"]
('Hobbies & Special Interest', 'Game or Competition')
"""

CATEGORIES = {
    "101": "Business & Professional",
    "102": "Science & Technology",
    "103": "Music",
    "104": "Film, Media & Entertainment",
    "105": "Performing & Visual Arts",
    "106": "Fashion & Beauty",
    "107": "Health & Wellness",
    "108": "Sports & Fitness",
    "109": "Travel & Outdoor",
    "110": "Food & Drink",
    "111": "Charity & Causes",
    "112": "Government & Politics",
    "113": "Community & Culture",
    "114": "Religion & Spirituality",
    "115": "Family & Education",
    "116": "Seasonal & Holiday",
    "117": "Home & Lifestyle",
    "118": "Auto, Boat & Air",
    "119": "Hobbies & Special Interest",
    "120": "School Activities",
}
FORMATS = {
    "1": "Conference",
    "2": "Seminar or Talk",
    "3": "Tradeshow, Consumer Show, or Expo",
    "4": "Convention",
    "5": "Festival or Fair",
    "6": "Concert or Performance",
    "7": "Screening",
    "8": "Dinner or Gala",
    "9": "Class, Training, or Workshop",
    "10": "Meeting or Networking Event",
    "11": "Party or Social Gathering",
    "12": "Rally",
    "13": "Tournament",
    "14": "Game or Competition",
    "15": "Race or Endurance Event",
    "16": "Tour",
    "17": "Attraction",
    "18": "Camp, Trip, or Retreat",
    "19": "Appearance or Signing",
}
