import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { TimelinePage } from '@hatch/protocol';
import { JoinToken, JoinTokenAuth } from '../auth/join-token.decorator';
import { SessionParamsDto } from '../sessions/session.dto';
import { TimelinePageDto, TimelineQueryDto } from './session-events.dto';
import { SessionEventsService } from './session-events.service';

@ApiTags('sessions')
@Controller('sessions')
export class SessionEventsController {
  constructor(private readonly events: SessionEventsService) {}

  @Get(':id/events')
  @JoinTokenAuth()
  @ApiOkResponse({
    type: TimelinePageDto,
    description: 'The stored session events (presence, chat, stages, start/end, follow-ups, hints, judgments), oldest first; private notes only for an interviewer’s token',
  })
  @ApiBadRequestResponse({ description: 'Malformed id, after or limit' })
  @ApiForbiddenResponse({ description: 'Join token of another session' })
  @ApiNotFoundResponse({ description: 'No such session' })
  timeline(@Param() params: SessionParamsDto, @Query() query: TimelineQueryDto, @JoinToken() token: string | undefined): Promise<TimelinePage> {
    return this.events.timeline(params.id, token, query);
  }
}
