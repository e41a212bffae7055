//! Invented names and the words of demo goals, actions and stories, in English and Welsh.

use rand::Rng;
use rand::rngs::StdRng;

use crate::fields::Lang;

pub const FIRST_NAMES: &[&str] = &[
    "Aled", "Bethan", "Cai", "Dafydd", "Eirlys", "Ffion", "Gethin", "Heledd", "Iolo", "Jac",
    "Lowri", "Mared", "Nia", "Osian", "Rhys", "Seren", "Tomos", "Wil", "Alex", "Sam", "Jordan",
    "Priya", "Amir", "Chloe", "Kai", "Maya", "Noah", "Zara", "Leo", "Ruby",
];
pub const LAST_NAMES: &[&str] = &[
    "Jones",
    "Williams",
    "Davies",
    "Evans",
    "Thomas",
    "Roberts",
    "Hughes",
    "Lewis",
    "Morgan",
    "Griffiths",
    "Price",
    "Rees",
    "Owen",
    "Pritchard",
    "Khan",
    "Patel",
    "Smith",
];
pub const PROVIDERS: &[&str] = &[
    "Camau Cymru Support",
    "Llwybrau Supported Living",
    "Tir Glas Youth Services",
    "Harbour Mental Health Trust",
    "Gwaith Da Employment Support",
    "Cwm Care Partnership",
    "Seren Family Support",
    "Bridgend Independent Living",
    "Afon Advocacy",
    "Mynydd Outreach",
];

fn fill(rng: &mut StdRng, template: &str, slots: &[&[&str]]) -> String {
    let mut out = template.to_owned();
    for slot in slots {
        out = out.replacen("{}", slot[rng.random_range(0..slot.len())], 1);
    }
    out
}

pub fn goal(rng: &mut StdRng, lang: Lang) -> String {
    const PLACES_EN: &[&str] = &[
        "college",
        "the shops",
        "town",
        "my nan's",
        "the gym",
        "work",
    ];
    const PLACES_CY: &[&str] = &["coleg", "siopau", "dre", "tŷ Nain", "gampfa", "gwaith"];
    const EN: &[(&str, usize)] = &[
        ("Get the bus to {} on my own", 1),
        ("Cook {} for my family", 2),
        ("Join a {} club", 3),
        ("Find a job at {}", 4),
        ("Make a new friend at {}", 1),
        ("Sleep better so I feel ready for {}", 1),
        ("Go swimming every week with {}", 5),
        ("Learn to manage my money for {}", 6),
        ("Tell my story at {}", 7),
        ("Feel calmer when I go to {}", 1),
    ];
    const CY: &[(&str, usize)] = &[
        ("Dal y bws i'r {} ar fy mhen fy hun", 1),
        ("Coginio {} i'r teulu", 2),
        ("Ymuno â chlwb {}", 3),
        ("Cael swydd yn {}", 4),
        ("Gwneud ffrind newydd yn y {}", 1),
        ("Mynd i nofio bob wythnos gyda {}", 5),
        ("Dysgu trin fy arian ar gyfer {}", 6),
        ("Teimlo'n dawelach wrth fynd i'r {}", 1),
    ];
    let slots_en: [&[&str]; 8] = [
        &[],
        PLACES_EN,
        &["spaghetti bolognese", "a Sunday dinner", "cawl", "a curry"],
        &["football", "drama", "gaming", "walking", "choir"],
        &[
            "the garden centre",
            "the café",
            "a supermarket",
            "the leisure centre",
        ],
        &["my brother", "my support worker", "Mam", "a friend"],
        &["a holiday", "my phone bill", "the weekend", "Christmas"],
        &[
            "my review",
            "the youth forum",
            "a team meeting",
            "the people's panel",
        ],
    ];
    let slots_cy: [&[&str]; 8] = [
        &[],
        PLACES_CY,
        &["sbageti", "cinio dydd Sul", "cawl", "cyri"],
        &["pêl-droed", "drama", "gemau", "cerdded", "côr"],
        &[
            "y ganolfan arddio",
            "y caffi",
            "archfarchnad",
            "y ganolfan hamdden",
        ],
        &["fy mrawd", "fy ngweithiwr cymorth", "Mam", "ffrind"],
        &["gwyliau", "bil y ffôn", "y penwythnos", "y Nadolig"],
        &[],
    ];
    let (list, slots) = match lang {
        Lang::Cy => (CY, &slots_cy),
        Lang::En => (EN, &slots_en),
    };
    let (template, slot) = list[rng.random_range(0..list.len())];
    fill(rng, template, &[slots[slot]])
}

pub fn action(rng: &mut StdRng, lang: Lang) -> String {
    let list: &[&str] = match lang {
        Lang::Cy => &[
            "Edrych ar yr amserlen gyda fy mentor",
            "Ymarfer y daith ddwywaith",
            "Gwneud rhestr siopa",
            "Ffonio'r clwb i ofyn am sesiwn flasu",
        ],
        Lang::En => &[
            "Look at the timetable with my mentor",
            "Practise the journey twice with someone",
            "Write a shopping list",
            "Ring the club to ask about a taster session",
            "Put the date in my calendar",
            "Ask my sister to come the first time",
        ],
    };
    list[rng.random_range(0..list.len())].to_owned()
}

pub fn story(rng: &mut StdRng, lang: Lang) -> String {
    let list: &[&str] = match lang {
        Lang::Cy => &[
            "Es i ar y bws heddiw ar fy mhen fy hun!",
            "Gwnes i gawl i bawb ac roedd e'n flasus.",
            "Ces i gyfweliad yn y caffi.",
        ],
        Lang::En => &[
            "I got the bus on my own today!",
            "I cooked tea for everyone and they loved it.",
            "I went to the club and stayed the whole session.",
            "I had an interview at the café.",
            "I spoke up at my review and said what I wanted.",
        ],
    };
    list[rng.random_range(0..list.len())].to_owned()
}
