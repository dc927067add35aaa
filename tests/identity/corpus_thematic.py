"""Thematic sentences of the kind a context meeting or context assessment records.

The false-refusal measure for ``cases.identity``: none of these names a child, so every sentence
refused is a false refusal. They are written as a practitioner writes, not to suit a recogniser:
places named after people (Victoria Park, Jordan Road, the Mary Seacole Centre), professionals by
role or by title and surname (PC Okafor, Mr Hussain the deputy head), csafe staff by full name,
dates and times that are not dates of birth, bus numbers, invented NB postcodes and ages.

All people, places and postcodes are invented, apart from a few well-known public places
(King's Cross, Abbey Road, the Victoria line) and the Mary Seacole Centre, a kind of name that
community buildings carry all over the country.

``STAFF`` are invented csafe staff members, as (first name, last name); the sentences naming them
must pass when the pairs are given as ``staff``. ``STAFF_SENTENCES`` are those sentences.
"""

from __future__ import annotations

STAFF: list[tuple[str, str]] = [
    ("Priya", "Raman"),
    ("Daniel", "Osei"),
    ("Helen", "Marchetti"),
    ("Tomasz", "Kowal"),
    ("Bernadette", "Quigley"),
    ("Femi", "Adeyemi"),
    ("Ruth", "Ashworth"),
    ("Callum", "Fraser"),
]

_PEER_GROUPS = [
    "The peer group is made up of around eight young people aged 13 to 15 who meet most "
    "evenings in Victoria Park.",
    "Members of the group attend three different schools, including St Mary's School and "
    "Harris Academy.",
    "Professionals described the group as loosely organised, with two older males who appear to "
    "hold influence over the younger members.",
    "There is no evidence that the group is linked to a named gang, but police intelligence "
    "suggests some members are being used to carry cannabis.",
    "The group has been seen gathering in the Kingsley Court stairwell after 9pm on weekdays.",
    "Younger members are thought to be running errands for older associates in exchange for "
    "food, vapes and phone credit.",
    "The group's dynamics shifted in May after two members moved out of the area.",
    "Peer relationships within the group appear supportive on the surface, but there are "
    "reports of pressure around debts.",
    "Several young people in the group were reported missing on the same nights, which suggests "
    "they are together when missing.",
    "Girls in the wider peer network have said that older males offer them lifts from the "
    "Morrisons car park.",
    "There is a concern about CSE for girls aged 13 and 14 who spend time with the group.",
    "CCE indicators include new phones, unexplained cash and travel to towns outside the borough.",
    "Two young people connected to the group have been referred through the NRM.",
    "Membership is not static and changes from week to week, especially during the school "
    "holidays.",
    "Professionals agreed that the group gives a sense of belonging to young people who are "
    "out of mainstream education.",
    "Two members of the group were arrested on 14/03/2026 at 9pm near Jordan Road.",
    "The peer group includes young people open to three different local authorities.",
    "Young adults aged 18 to 20 have been seen on the edges of the group, usually in cars.",
    "There appears to be a hierarchy, with newer members expected to prove themselves by "
    "taking risks.",
    "The group is mixed gender; the girls tend to arrive later and leave earlier than the boys.",
    "The youth worker described the group as 'tight-knit and protective of each other'.",
    "Some of the young people have known each other since primary school at Grace Street Primary.",
    "A smaller group of four boys has split off and now meets at the Fenwick Gardens play area.",
    "Conflict between the Northbridge group and young people from the Abbey Road area has "
    "escalated since February.",
    "A fight outside Elliott House on 2 April involved around ten young people from both groups.",
    "Knife crime is a stated fear among group members, several of whom say they carry "
    "something 'for protection'.",
    "The group is known locally as 'the Bridge lot', a name the young people use themselves.",
    "There has been a noticeable reduction in the size of the group since the summer.",
    "The group's main activities are hanging around, playing football and sharing music on "
    "their phones.",
    "Nobody in the group is currently open to the youth justice service, although two were "
    "previously.",
    "Older siblings of some members are known to police for supplying class A drugs.",
    "Peer-on-peer abuse was reported at the school, including the sharing of images without "
    "consent.",
    "It is not clear who organises the group; professionals felt there is no single leader.",
    "The young people in the group are mostly Year 9 and Year 10.",
    "Group members have told staff that they feel safer together than on their own.",
    "Three boys in the group have recently started wearing the same brand of balaclava.",
    "there is a newer, younger cohort (aged 11-12) who look up to the older boys",
    "The group has been linked to a county lines operation running from NB4 to the coast.",
    "Local intelligence indicates the group is being drawn into the supply of cannabis at the "
    "Saturday market.",
    "Young people in the group use nicknames with each other which staff do not always recognise.",
    "Members of the group congregate near the skate park on Sundays from about 2pm.",
    "Some members of the peer group are also young carers, which limits their time after school.",
    "The group's use of the leisure centre has dropped since the entry fee went up in January.",
    "Peer group mapping identified 14 young people with varying levels of involvement.",
    "The core of the group is five or six young people; the rest drift in and out.",
    "Relationships with adults outside the group are mostly poor, with the exception of the "
    "boxing coach.",
    "At least two young people in the group have disclosed that they owe money to older males.",
    "Members of the group have been seen with injuries they will not explain.",
    "The mapping shows links between this group and the group that meets at Clarence Road shops.",
    "The girls' friendship group at Harris Academy has been affected by a rumour spread online.",
    "Young people in the group are between 12 and 16; most are boys.",
    "The group's behaviour is more risky on Friday nights and in the school holidays.",
]

_GUARDIANSHIP = [
    "Security staff at the Northbridge Shopping Centre know the group by sight and have been "
    "asked to report concerns rather than simply move young people on.",
    "The PCSO for the ward has agreed to walk through Victoria Park between 7pm and 9pm on "
    "Fridays.",
    "Detached youth workers from the Mary Seacole Centre will engage with the group on Tuesday "
    "and Thursday evenings.",
    "Shop staff at the chicken shop on Grace Street have reported young people being "
    "approached by adults in cars.",
    "Bus drivers on the 38 route have noticed young people travelling late at night without "
    "paying.",
    "Parents collectively expressed worry about the park and asked for better lighting near "
    "the toilets.",
    "The head of year at Harris Academy has noticed increased absence on Monday mornings.",
    "The designated safeguarding lead at St Mary's School will share attendance patterns weekly.",
    "PC Okafor confirmed that a dispersal order has been used twice in the last month.",
    "Mr Hussain the deputy head raised concerns about older males waiting at the school gates.",
    "Caretakers at Elliott House have been asked to report damage to the stairwell door.",
    "The estate manager agreed to fix the broken entry system at Kingsley Court.",
    "Parents attended a community meeting at the Mary Seacole Centre on 3 March.",
    "The park keepers lock the gates at dusk, but the fence behind the tennis courts is broken.",
    "There is no staffed presence in the park after 6pm in winter.",
    "The concierge at Thomas Brereton Court is on site until 10pm and is willing to share "
    "information.",
    "The PCSO reported that young people are respectful with her but will not give their names.",
    "Staff at the McDonald's on the high street said the group is usually there from 4pm until "
    "close.",
    "The store manager at the Co-op agreed to share CCTV stills with police where there are "
    "concerns.",
    "Parents on the estate have set up a WhatsApp group to share concerns about the stairwells.",
    "Guardianship in the station is strong during the day but weak after the ticket office closes.",
    "British Transport Police will include King's Cross in their evening patrols.",
    "The youth club at the Agnes Whitfield Community Centre is open on Monday, Wednesday and "
    "Friday.",
    "Sgt Lindqvist agreed to brief the neighbourhood team about the car park.",
    "Ms Adebayo the SENCo knows several of the young people well and is a trusted adult for some.",
    "The boxing club coach has good relationships with the boys and has offered free sessions.",
    "Faith leaders at St George's Church have offered the hall for a weekly drop-in.",
    "Neighbourhood wardens patrol Fenwick Gardens on weekdays only.",
    "The housing officer will speak to residents on the fourth floor about the open fire door.",
    "Mosque volunteers run a football session on Saturday mornings which some of the boys attend.",
    "The takeaway owner on Jordan Road said that he feels intimidated by the older males.",
    "Street pastors are out in the town centre on Friday and Saturday nights.",
    "Mrs Patel the attendance officer has been doing home visits to the families of the boys "
    "who are missing school.",
    "The detached team reported that the young people were more open when met in small groups.",
    "Bus station staff have a direct line to the control room and can request police attendance.",
    "Security at the retail park changed contractor in April and new staff have not been briefed.",
    "The library staff at Wesley Road say the young people use the computers after school and "
    "are no trouble.",
    "Parents told the meeting that they did not know where their children went after school.",
    "The school's pastoral team will be visible at the bus stop at home time.",
    "The PCSO and the youth worker will do a joint walkabout of the estate on 21 May.",
    "Lifeguards at the Beaumont Leisure Centre have raised concerns about adults watching young "
    "people in the pool.",
    "Residents have complained about noise but have not reported any concerns about safety.",
    "Trading Standards will visit the vape shops near the school following reports of sales "
    "to under-18s.",
    "Staff at the Tesco Express have been given a single point of contact in the police.",
    "Guardianship is low in the underpass: no CCTV, no lighting and no passing footfall.",
    "Mr Danso, the caretaker at Grace Street Primary, has seen older teenagers in the "
    "playground after hours.",
    "The community safety team has agreed to fund two extra youth workers until March 2027.",
    "Council CCTV covers the front of the parade but not the service road behind it.",
    "PCSOs were asked to engage rather than enforce during the summer holidays.",
    "Shopkeepers on Clarence Road are keen to help but unsure who to call.",
]

_SCHOOLS = [
    "Most of the young people walk to Harris Academy along Jordan Road and through the underpass.",
    "The route to St Mary's School passes the bookmakers and the Abbey Road bus stop, where "
    "older males have been seen.",
    "The school reports that fights tend to start on the route home rather than on site.",
    "Harris Academy has introduced staggered finishing times for Year 9 and Year 10.",
    "The DSL at St Mary's said that the school has seen an increase in vaping in the toilets.",
    "Several young people from the group attend the pupil referral unit on Elliott Street.",
    "The alternative provision has a minibus, so its pupils are not on the public buses at "
    "home time.",
    "Attendance for the group as a whole is below 80% this term.",
    "Exclusions have been used three times this year for the same group of boys.",
    "The head of year described the corridor by the science block as a hotspot for intimidation.",
    "There are no staff on the back gate at the end of the school day.",
    "The school nurse has noticed a pattern of girls asking for the morning-after pill on Mondays.",
    "St Mary's School is taking part in a healthy relationships programme from September.",
    "Staff at Kingsley Primary report younger siblings being collected by teenagers who are not "
    "family.",
    "The school has asked the council to put a crossing patrol back on George Street.",
    "Harris Academy's safeguarding team will deliver assemblies on exploitation before the "
    "summer holidays.",
    "Young people travel from the Northbridge estate to three secondary schools: Harris "
    "Academy, St Mary's School and Queensbury High.",
    "Teachers have seen the group waiting outside the school at lunchtime on several occasions.",
    "The school has CCTV at the main gate only.",
    "Pupils say that the walk past the petrol station is the part of the journey they like least.",
    "The school's behaviour data shows most incidents happen in the last lesson on Friday.",
    "The college on Victoria Road has reported concerns about older students recruiting "
    "younger ones.",
    "The school reports that it received information from MASH about the group on 6 February.",
    "Mr Hussain has agreed to share the school's map of safe routes with parents.",
    "The DSL and the head of year will meet with the detached youth workers each half term.",
    "A lockdown drill was held after an incident at the gates on 12/01/2026.",
    "The school has been asked to keep a record of unknown adults seen near the gates.",
    "Several parents said the walk along the canal towpath to school is unsafe in winter.",
    "The Florence Road entrance to the school is unstaffed and is used by pupils to leave early.",
    "School staff noted that some pupils arrive with new trainers and designer clothes.",
    "St Mary's and Harris Academy will share information about the conflict between their pupils.",
    "An education welfare officer will support the families of pupils with attendance below 50%.",
    "The school's pastoral lead described the Year 10 girls' group as 'in crisis' after the "
    "images were shared.",
    "Children aged 11 to 13 are most affected by the changes to the school bus.",
    "From September the school will run a homework club until 5pm.",
    "The head teacher confirmed that the school will not exclude for carrying cannabis without "
    "first consulting the team.",
]

_PLACES = [
    "Victoria Park has poor lighting along the path between the bandstand and the Jordan Road "
    "gate.",
    "The Kingsley Court stairwell is unlit between the second and fourth floors.",
    "The Northbridge estate has six tower blocks and a parade of shops on its north side.",
    "The stairwell door at Elliott House has been wedged open for several weeks.",
    "Fenwick Gardens is a small park with a play area, a basketball court and no toilets.",
    "Residents describe the garages behind Grace Street as a place where drugs are sold.",
    "The bin store at Thomas Brereton Court is used by young people to hide items.",
    "The park has many hidden areas, including the wooded strip behind the bowling green.",
    "Graffiti on the walls of the underpass includes the group's name and an NB4 postcode "
    "reference.",
    "The community garden on Abbey Road is a quiet space used by families in the daytime.",
    "The Northbridge estate is within NB4 7TQ and NB4 7TR.",
    "The disused pub on the corner of George Street is being used as a meeting place.",
    "The canal towpath between Victoria Park and the retail park has no CCTV.",
    "Young people have been seen on the roof of the multi-storey car park on Clarence Road.",
    "An empty flat on the ninth floor of Elliott House is believed to have been used as a "
    "trap house.",
    "The estate's community room has been closed since the flood in January.",
    "There is a broken fence at the back of the Fenwick Gardens play area that leads to the "
    "railway line.",
    "Needles were found in the stairwell at Kingsley Court on 9 April.",
    "Victoria Park will have new lighting installed by the council from June.",
    "Residents say that Grace Street feels safe during the day but not after dark.",
    "The skate park in Victoria Park is well used and well overlooked.",
    "The old bandstand is a hotspot; young people sit under it in the rain.",
    "Lifts in Elliott House are often out of order, so young people use the stairs.",
    "The walkway linking Kingsley Court to the high street is known to residents as 'the tunnel'.",
    "The estate's football cage is the main outdoor space for the younger children.",
    "The common outside St George's Church is used by the group in the summer.",
    "Residents of Fenwick Gardens have formed a residents' association and want to be involved.",
    "There are eight entrances to Victoria Park and only two are locked at night.",
    "The woods behind Queensbury High are used for fights that are filmed and posted online.",
    "The bridge over the railway at Jordan Road is where young people go to smoke.",
    "The estate office is open 9am to 5pm, Monday to Friday.",
    "Half the street lights on Wesley Road were not working during the walkabout.",
    "The area around King's Cross is a known location for young people going missing from "
    "other boroughs.",
    "The Northbridge estate is split between two police wards, which complicates patrols.",
    "The new housing development on the old gasworks site has no play space.",
    "Some residents of Fenwick Gardens feel the area has been forgotten by the council.",
    "The council is consulting on gating the alley between Grace Street and Abbey Road.",
    "The main hotspots identified were the park, the stairwells and the chicken shop.",
    "The bowling green pavilion has been broken into three times since Easter.",
    "The allotments next to Victoria Park have reported young people climbing in at night.",
    "Kingsley Court and Elliott House share a car park, which is not overlooked.",
    "The estate has a high turnover of temporary accommodation.",
    "The location is on the boundary of NB2 and NB4, and both neighbourhood teams are involved.",
]

_TRANSPORT = [
    "Young people use the 38 bus to travel between the estate and the town centre.",
    "Several young people have been found at Victoria station late at night.",
    "Travelling on the Victoria line to King's Cross is a known route out of the borough.",
    "The bus stop outside the Mary Seacole Centre is a gathering point after school.",
    "The night bus (N38) runs every 20 minutes and is used by the group to get home.",
    "TfL staff at the bus station report young people using other people's Oyster cards.",
    "BTP have seen an increase in young people travelling to the coast by train on Fridays.",
    "The Abbey Road bus stop has a shelter with no CCTV and a broken light.",
    "Young people are travelling on the 149 and the 38 without paying, and drivers do not "
    "challenge them.",
    "The railway station has a footbridge where young people gather out of sight of staff.",
    "Free travel for under-16s means young people can move across the city at no cost.",
    "Taxi drivers from a local firm have been seen picking up young people from the estate.",
    "The tram stop at Jordan Road is quiet after 8pm and has no staff.",
    "King's Cross station staff have been given the team's number for out-of-hours concerns.",
    "The Elizabeth line has made it quicker to travel from the estate to the airport.",
    "The bus garage on Clarence Road is open 24 hours and staff are willing to help.",
    "Young people told the youth worker that they take the 38 bus to the end of the line "
    "'just for something to do'.",
    "There were reports on 20/02/2026 of young people being robbed on the top deck of the 38.",
    "The Jubilee line station has good staffing and is not seen as a risk.",
    "Girls have described being followed from the bus stop to the entrance of Elliott House.",
    "Bus route 261 was changed in April and now stops outside the chicken shop.",
    "The bus stop by St Mary's School is overcrowded at 3.15pm.",
    "E-scooters and e-bikes are being used to move between the estate and the station.",
    "The mini-cab office on the parade stays open until 2am.",
    "Young people have been seen travelling alone late at night on trains to Brighton.",
    "The 38 stops outside the McDonald's, which is where many journeys start and end.",
    "Transport colleagues will consider a travel safety campaign on the 38 route in the autumn.",
    "The station car park is unstaffed and has one working camera.",
]

_FOOD_AND_SHOPS = [
    "The chicken shop on Grace Street is the main meeting point after school.",
    "Older males buy food for younger boys at the fast-food shop and then ask for favours.",
    "The Morrisons car park is used in the evenings by young adults in cars.",
    "Staff at the Nando's in the retail park have noticed the same adults with different young "
    "people.",
    "The late-night shop on Jordan Road sells single cigarettes to children.",
    "The vape shop near Harris Academy has been reported to Trading Standards.",
    "The car park behind the Sainsbury's on Abbey Road is a known location for drug dealing.",
    "Young people wait inside the Greggs on the high street when it rains.",
    "The shisha lounge on George Street has been visited by police and licensing.",
    "The manager of the KFC says the group is there most days and causes little trouble.",
    "The off-licence on Clarence Road has been selling alcohol to under-18s, according to parents.",
    "The retail park car park has become a meeting place for young people with older males in "
    "cars.",
    "Shop staff at the Lidl on Victoria Road found a bag of knives hidden in the trolley bay.",
    "The barber shop on the parade is a safe place according to several of the boys.",
    "The kebab shop stays open until 3am and young people are there late at weekends.",
    "The Morrisons car park has been flagged to the licensing team.",
    "The phone repair shop on Wesley Road is suspected of buying stolen phones from young people.",
    "Girls are being given free food at the chicken shop by older males, who then ask for "
    "their numbers.",
    "The multi-storey car park at the shopping centre has a stairwell where young people smoke.",
    "The newsagent next to St Mary's School has agreed to display the helpline poster.",
    "The shopping centre closes at 6pm, after which the group moves to the McDonald's.",
    "The takeaway on Grace Street has offered to be a 'safe haven' for young people.",
    "The café at the Mary Seacole Centre is run by volunteers and is open until 7pm.",
    "Staff at the Costa near King's Cross have seen young people asking passers-by for money.",
    "The nail bar on the high street has been linked by police to exploitation concerns.",
]

_ONLINE = [
    "The group uses a Snapchat group to arrange where to meet and to share videos.",
    "Young people have been posting drill videos on TikTok that reference the conflict with the "
    "Abbey Road group.",
    "Instagram accounts linked to the group show young people with large amounts of cash.",
    "A Discord server used for gaming is also being used by older users to contact younger "
    "children.",
    "A WhatsApp group of around 60 pupils was used to share a sexual image of a Year 9 girl.",
    "The Snap Map feature allows older males to see where the girls are at any time.",
    "Young people were sent links to a Telegram channel advertising 'easy money'.",
    "Several young people have been added to an Instagram group chat by unknown adults.",
    "TikTok live streams have shown fights in Victoria Park.",
    "Online, the conflict is played out through 'diss tracks' and comments on YouTube.",
    "Girls reported receiving unwanted images through AirDrop on the 38 bus.",
    "The school's online safety lead will speak to parents about Snapchat and location sharing.",
    "Group members use gaming platforms to talk at night, often until the early hours.",
    "A Roblox group set up by an adult was reported to the platform and to police.",
    "An anonymous Instagram account has been posting 'exposing' content about pupils at "
    "Harris Academy.",
    "Young people said they feel they have to reply to messages in the group straight away or "
    "they will be 'dropped'.",
    "The youth service will run an online safety session at the Mary Seacole Centre in June.",
    "Police requested that the platform remove a video posted on 14/03/2026 at 9pm.",
    "There are concerns about a Discord server where users share violent content.",
    "The WhatsApp group for parents on the estate has over 200 members.",
    "A TikTok trend encouraging young people to film themselves in dangerous places was discussed.",
    "Young people are being offered money on Instagram to open bank accounts ('money muling').",
    "The group's Snapchat stories are often the first sign that something has happened.",
    "Online grooming through Wizz and Yubo was raised by the school nurse.",
    "Screenshots shared with the school suggest the threats began online.",
    "Online activity peaks between 10pm and 2am according to what young people told staff.",
    "Young people were asked to delete the images and most said they had.",
    "The platform's reporting tool was used but the account was not removed.",
    "Instagram 'close friends' stories are used to share content only within the group.",
    "The police cyber team will support the school with the investigation into the image sharing.",
]

_PLANS = [
    "Action: the PCSO to increase patrols in Victoria Park on Friday and Saturday evenings "
    "from 7pm.",
    "Action: housing to repair the entry system and lighting at Kingsley Court by 30 June 2026.",
    "Action: the youth service to deliver detached sessions on the Northbridge estate twice a "
    "week.",
    "Action: the school to share attendance data for the group every Friday.",
    "Action: the community safety team to review CCTV coverage of the underpass.",
    "The plan will be reviewed at the next context meeting on 17 July.",
    "The context plan aims to increase guardianship in the park and reduce the group's "
    "exposure to older males.",
    "Actions agreed: lighting audit (council), patrols (police), detached work (youth "
    "service), assemblies (schools).",
    "The licensing team will review the off-licence's licence following the test purchase on "
    "5 May.",
    "A letter will be sent to parents of pupils in Year 9 about the route to school.",
    "The council will explore a public spaces protection order for the car park.",
    "The chicken shop will be offered training on spotting the signs of exploitation.",
    "The plan includes a healthy relationships programme for the Year 10 girls' group.",
    "Housing will board up the empty flat in Elliott House and change the locks.",
    "Transport colleagues will share the plan with bus drivers on the 38 route.",
    "The youth worker will try to establish a regular evening session at the Fenwick Gardens "
    "basketball court.",
    "The context meeting agreed to refer the concerns about the car park to the MACE panel.",
    "Police to consider a closure order on the property on George Street.",
    "The plan's target is for the group to have access to at least three supervised "
    "activities a week.",
    "School staff to be present at the bus stop at home time from 1 September.",
    "The team will ask the parks department to cut back the bushes along the path by 31 May.",
    "Outcomes will be measured by the number of missing episodes and reports to police.",
    "MASH to flag any new referrals relating to the Northbridge estate to the contextual team.",
    "The next review will consider whether the context should remain open.",
    "It was agreed that the plan should focus on the places rather than on individual young "
    "people.",
    "The community safety partnership will fund a mural project in the underpass.",
    "The plan will be shared with the MASH and with the contextual safeguarding panel.",
    "Parents will be invited to a second community meeting in September.",
    "a further walkabout to be arranged with residents before the end of May",
    "The youth service will trial opening the youth club until 9pm on Fridays.",
    "Detached workers will keep a log of adults seen with the group and pass it to police.",
    "Police will share intelligence about the vehicles seen in the Morrisons car park.",
    "The school will offer mentoring to the younger members of the group.",
    "The park keepers will change the locking schedule to lock the gates at 8pm in summer.",
    "Trading Standards to carry out test purchases at the vape shops by the end of June.",
    "The team will commission the local football club to run free sessions in the holidays.",
    "All actions to be completed within 12 weeks and reviewed at the context meeting.",
    "A safety mapping exercise with young people will be carried out at the youth club in April.",
    "The plan has been updated to include the Discord server following the school's report.",
    "Housing will write to all residents of Kingsley Court about the changes to the stairwell.",
    "The DSL will update the school's risk assessment for the route along Jordan Road.",
    "The community centre will host a half-term programme from 27 October to 31 October.",
    "RAG rating: amber, reduced from red at the last review.",
    "Agreed to request a review of the bus stop's location with TfL.",
    "The context meeting will be held monthly until the risk reduces.",
    "Responsibility for the lighting action sits with the council's highways team.",
]

_CLOSURE = [
    "Closure summary: the risk in Victoria Park has reduced following the new lighting and "
    "regular patrols.",
    "The context is being closed because the group no longer meets at Kingsley Court.",
    "At closure, the stairwell door at Elliott House had been repaired and the empty flat secured.",
    "The group has largely dispersed since the older males were arrested in June.",
    "Young people now use the youth club at the Mary Seacole Centre rather than the stairwell.",
    "The chicken shop has signed up to the safe haven scheme and staff have been trained.",
    "Missing episodes associated with the context fell from 14 in the spring term to 2 in the "
    "summer term.",
    "The closure was agreed at the context meeting on 15/09/2026.",
    "Any new concerns about the park should be referred back through the MASH.",
    "The learning from this context will be shared with the contextual safeguarding panel.",
    "Some concerns remain about the car park, which will be monitored by the neighbourhood team.",
    "The school reports fewer incidents on the route home since staff were placed at the bus stop.",
    "The closure summary was sent to all agencies on 22 September.",
    "The peer group is still in contact but professionals no longer have concerns about "
    "exploitation.",
    "Residents reported feeling safer in Fenwick Gardens at the last community meeting.",
    "The context has been closed with a recommendation that the council keep the lighting "
    "under review.",
    "Young people said the detached youth workers were 'the best thing about this year'.",
    "Closure agreed; no further role for the contextual safeguarding team.",
    "Outstanding action at closure: the underpass CCTV, which is awaiting funding.",
    "The context was open for nine months, from 3 March to 1 December.",
]

_NOTES = [
    "Attendees: DSL (St Mary's), head of year (Harris Academy), PCSO, youth worker, housing "
    "officer, parks.",
    "Apologies: British Transport Police, CAMHS.",
    "Meeting held at the Mary Seacole Centre, 10am-12pm, 4 June.",
    "venue: victoria park pavilion; start 6pm",
    "NB: the information about the vehicles is police-only and must not be shared with the school.",
    "Present: police, education, housing, youth service, community safety.",
    "Date of meeting: 14/03/2026. Next meeting: 11/04/2026.",
    "Location: Kingsley Court, NB4 7TQ.",
    "Walkabout on 18 April, 8pm to 10pm, starting at the Jordan Road gate.",
    "Weather on the night was dry and cold; about 20 young people were out.",
    "Observed: two cars parked with engines running in the Morrisons car park at 9.40pm.",
    "Observed: no adults present in the park after 8pm apart from dog walkers.",
    "Young people spoken to: 6. Young people who gave a view: 4.",
    "The youth worker's view is that the area feels 'tense but not out of control'.",
    "Views of young people: the park is 'boring', the youth club is 'too far', the police "
    "'only come when something has happened'.",
    "Risk level agreed: significant.",
    "Information shared under the local information sharing agreement.",
    "CSE / CCE / missing / online harm: all discussed.",
    "Referral received from the school via MASH on 2 February 2026.",
    "Context type: neighbourhood (park and surrounding streets).",
    "Area covered: Victoria Park, Jordan Road, Grace Street and the Abbey Road parade.",
    "Postcodes: NB4 7TQ, NB4 7TR, NB4 8AA.",
    "SPOC for police: the neighbourhood sergeant.",
    "Next steps: share minutes within five working days.",
    "Chair's summary: good progress on lighting; patrols need to be more consistent.",
    "The meeting was quorate.",
    "A child's voice was captured through the youth club's survey, completed by 31 young people.",
    "The LADO was consulted about the concerns regarding the football coach.",
    "No young person is named in this record; individual concerns are recorded on their own files.",
    "Age range: 12-17. Gender: mixed. Ethnicity: mixed.",
    "VICTORIA PARK – EVENING WALKABOUT – FRIDAY 16 MAY",
    "Outcome of the review: the context remains open, risk reduced to moderate.",
    "Timeline: first concerns Sept 2025; meeting 1 held Jan 2026; plan agreed Feb 2026.",
    "The information in this assessment is accurate as of 30/04/2026.",
    "The parks team were unable to attend but sent an update by email.",
    "Between 1 January and 31 March there were 23 police call-outs to the estate.",
    "Concerns were first raised by the school in the autumn term.",
    "An incident at the chicken shop on Saturday 7 June at about 6.30pm involved a knife.",
    "Follow-up: PCSO visited the off-licence on 9 June.",
    "In May the group moved from the park to the car park.",
    "By June the youth club should be open three nights a week.",
    "Harris Academy, St Mary's School and Queensbury High were all represented.",
    "St Mary's reported 3 incidents; Harris reported 5; Queensbury reported none.",
    "The context assessment was completed within 20 working days.",
    "Evening sessions on Tuesdays (7-9pm) and Thursdays (6-8pm).",
    "Further information is held by the police safeguarding hub.",
    "Queries about this plan should be directed to the contextual safeguarding team.",
    "Elliott House: repairs done. Kingsley Court: repairs outstanding.",
    "The 'Abbey Road boys' and 'the Bridge lot' are how young people describe the two groups.",
    "Minutes agreed as accurate at the start of the meeting.",
    "Summary of incidents since the last meeting: two robberies, one assault, one missing episode.",
    "Key themes: lack of safe spaces, older males in cars, online conflict.",
]

STAFF_SENTENCES = [
    "Priya Raman chaired the context meeting and agreed to circulate the minutes by Friday.",
    "Daniel Osei, the contextual safeguarding lead, presented the peer group mapping.",
    "Actions were allocated to Helen Marchetti and to the youth service.",
    "Tomasz Kowal will liaise with British Transport Police about the station.",
    "The assessment was completed by Bernadette Quigley and reviewed by the team manager.",
    "Femi Adeyemi attended the walkabout with the PCSO on 12 April.",
    "Ruth Ashworth agreed to contact the school about the route home along Jordan Road.",
    "Callum Fraser to update the context plan following the review.",
    "Chair: Priya Raman (team manager). Minutes: Femi Adeyemi.",
    "Action: Daniel Osei and the PCSO to visit the chicken shop on Grace Street.",
    "Present: Helen Marchetti, Tomasz Kowal, the DSL from St Mary's School and PC Okafor.",
    "The plan was signed off by Bernadette Quigley on 28 May.",
    "Contact for this context: Ruth Ashworth, contextual safeguarding practitioner.",
    "Callum Fraser and the detached youth workers met the group in Victoria Park on Tuesday.",
    "Author: Raman, Priya. Reviewed by: Osei, Daniel.",
    "Helen Marchetti's view is that the risk in the stairwells has reduced.",
]

THEMATIC_SENTENCES: list[str] = [
    *_PEER_GROUPS,
    *_GUARDIANSHIP,
    *_SCHOOLS,
    *_PLACES,
    *_TRANSPORT,
    *_FOOD_AND_SHOPS,
    *_ONLINE,
    *_PLANS,
    *_CLOSURE,
    *_NOTES,
    *STAFF_SENTENCES,
]

# Place names from the corpus that contain no person's name (given name and surname together),
# though many contain a given name or a surname; for generated benign text.
PLACES_WITHOUT_PERSON_NAMES = [
    "Victoria Park",
    "Jordan Road",
    "St Mary's School",
    "the Kingsley Court stairwell",
    "the Morrisons car park",
    "Grace Street",
    "Harris Academy",
    "King's Cross",
    "Elliott House",
    "Abbey Road",
    "the Northbridge estate",
    "Fenwick Gardens",
    "Clarence Road",
    "George Street",
    "Wesley Road",
    "Queensbury High",
    "the Beaumont Leisure Centre",
    "St George's Church",
    "Victoria Road",
    "the Victoria line",
    "Grace Street Primary",
    "Kingsley Primary",
    "Elliott Street",
    "Florence Road",
]

# Places named after a (invented or historical) person, kept out of generated benign text.
PLACES_WITH_PERSON_NAMES = [
    "the Mary Seacole Centre",
    "Thomas Brereton Court",
    "the Agnes Whitfield Community Centre",
]

assert len(set(THEMATIC_SENTENCES)) == len(THEMATIC_SENTENCES), "duplicate thematic sentence"
